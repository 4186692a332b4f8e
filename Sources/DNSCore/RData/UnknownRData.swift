/// RDATA of a type without a layout here, kept as opaque octets and written in the generic
/// form `\# <length> <hex>` (RFC 3597 §5), so unknown types survive every round trip.
public struct UnknownRData: RDataFormat {
    public static let primaryType = RRType(0)
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(wire reader: inout WireReader) throws(DNSWireError) { bytes = reader.readRemaining() }

    public func encode(to writer: inout WireWriter) { writer.write(bytes: bytes) }

    /// `\# 0` for empty RDATA, else `\# N` followed by N octets of hex in one or more tokens.
    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        let marker = try scanner.next("\\# marker")
        guard marker.text.elementsEqual("\\#".utf8) else {
            throw scanner.error(.badValue, at: marker, "expected \\# before generic RDATA (RFC 3597 §5)")
        }
        let length: UInt16 = try scanner.integer("RDATA length")
        if length == 0 {
            bytes = []
            return
        }
        bytes = try scanner.hexRest("RDATA hex")
        guard bytes.count == Int(length) else {
            throw scanner.error(.badValue, "\\# says \(length) octets but the hex holds \(bytes.count)")
        }
    }

    public func appendPresentation(to out: inout String) {
        out.append("\\# \(bytes.count)")
        if !bytes.isEmpty {
            out.append(" ")
            Base16.append(bytes, to: &out)
        }
    }
}
