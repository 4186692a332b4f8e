/// A mail exchanger (RFC 1035 §3.3.9); preference 0 with target `.` is a null MX (RFC 7505).
public struct MX: RDataFormat {
    public static let primaryType = RRType.mx
    public var preference: UInt16
    public var exchange: DomainName

    public init(preference: UInt16, exchange: DomainName) {
        self.preference = preference
        self.exchange = exchange
    }

    /// "This domain accepts no mail" (RFC 7505 §3).
    public var isNullMX: Bool { exchange.isRoot }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        preference = try reader.readUInt16()
        exchange = try reader.readName()
    }

    public func encode(to writer: inout WireWriter) {
        writer.write(preference)
        writer.writeRDataName(exchange)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        preference = try scanner.integer("preference")
        exchange = try scanner.name("exchange")
    }

    public func appendPresentation(to out: inout String) {
        out.append(String(preference))
        out.append(" ")
        exchange.appendPresentation(to: &out)
    }
}
