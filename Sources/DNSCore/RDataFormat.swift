/// One RDATA layout (RFC 1035 §3.3 and the RFCs of each type): its wire form and its
/// presentation form. A layout may serve several types (DS also serves CDS, RFC 7344 §3.1);
/// `RData` carries which.
public protocol RDataFormat: Hashable, Sendable {
    /// The type this layout is named after.
    static var primaryType: RRType { get }

    /// Decodes from `reader`, whose `limit` is the end of this RDATA. Names may be compressed
    /// (pointers reach back into the whole message). Must consume exactly up to `limit` or
    /// throw; `RData` checks the length.
    init(wire reader: inout WireReader) throws(DNSWireError)

    /// Encodes the RDATA (without RDLENGTH). Names go through `writer.writeRDataName(_:)`,
    /// which applies the compression and canonical-case rules of the record's type.
    func encode(to writer: inout WireWriter)

    /// Parses the presentation form from the tokens after the type mnemonic. Relative names
    /// are completed with `scanner.origin`.
    init(presentation scanner: inout PresentationScanner) throws(PresentationError)

    /// Appends the presentation form (absolute names, no trailing newline).
    func appendPresentation(to out: inout String)
}

extension RDataFormat {
    /// The presentation form as a string.
    public var presentation: String {
        var out = ""
        appendPresentation(to: &out)
        return out
    }
}
