/// An IPv6 address (RFC 3596 §2.2).
public struct AAAA: RDataFormat {
    public static let primaryType = RRType.aaaa
    public var address: IPv6Address

    public init(_ address: IPv6Address) { self.address = address }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        address = IPv6Address(checkedBytes: try reader.readBytes(16))
    }

    public func encode(to writer: inout WireWriter) { writer.write(bytes: address.bytes) }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        let token = try scanner.next("IPv6 address")
        guard let address = IPv6Address(text: token.string) else {
            throw scanner.error(.badValue, at: token, "\"\(token.string)\" is not an IPv6 address")
        }
        self.address = address
    }

    public func appendPresentation(to out: inout String) { out.append(address.description) }
}
