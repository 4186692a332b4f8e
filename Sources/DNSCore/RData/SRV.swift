/// The location of a service (RFC 2782): priority, weight, port and target host. A target of
/// `.` means the service is decidedly not available at this domain.
///
/// RFC 2782 forbids compressing the target on send (`writeRDataName` writes it whole, since
/// SRV is not an RFC 1035 type), while RFC 3597 §4 asks receivers to decompress it anyway, so
/// decoding follows pointers. In canonical form the target is lowercased (RFC 4034 §6.2).
public struct SRV: RDataFormat {
    public static let primaryType = RRType.srv
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: DomainName

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DomainName) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }

    /// "Service decidedly not available at this domain" (RFC 2782, Target `.`).
    public var isServiceUnavailable: Bool { target.isRoot }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        priority = try reader.readUInt16()
        weight = try reader.readUInt16()
        port = try reader.readUInt16()
        target = try reader.readName()
    }

    public func encode(to writer: inout WireWriter) {
        writer.write(priority)
        writer.write(weight)
        writer.write(port)
        writer.writeRDataName(target)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        priority = try scanner.integer("priority")
        weight = try scanner.integer("weight")
        port = try scanner.integer("port")
        target = try scanner.name("target")
    }

    public func appendPresentation(to out: inout String) {
        out.append("\(priority) \(weight) \(port) ")
        target.appendPresentation(to: &out)
    }
}
