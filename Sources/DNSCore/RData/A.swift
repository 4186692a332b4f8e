/// An IPv4 address (RFC 1035 §3.4.1).
public struct A: RDataFormat {
    public static let primaryType = RRType.a
    public var address: IPv4Address

    public init(_ address: IPv4Address) { self.address = address }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        address = IPv4Address(bytes: try reader.readUInt32())
    }

    public func encode(to writer: inout WireWriter) { writer.write(address.rawValue) }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        let token = try scanner.next("IPv4 address")
        guard let address = IPv4Address(text: token.text) else {
            throw scanner.error(.badValue, at: token, "\"\(token.string)\" is not an IPv4 address")
        }
        self.address = address
    }

    public func appendPresentation(to out: inout String) { out.append(address.description) }
}
