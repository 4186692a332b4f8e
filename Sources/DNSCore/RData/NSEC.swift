/// Authenticated denial of existence (RFC 4034 §4): the next owner name in the zone's
/// canonical order and the types present at this owner.
///
/// The next domain name is never compressed when sent (RFC 4034 §4.1.1) and keeps its case in
/// the canonical form (RFC 6840 §5.1 took NSEC out of RFC 4034 §6.2's lowercasing list); both
/// follow from `RRType.nsec`'s name rules in `WireWriter`.
///
/// Presentation (RFC 4034 §4.2): the next domain name, then the type mnemonics (see
/// `TypeBitmap`).
public struct NSEC: RDataFormat {
    public static let primaryType = RRType.nsec
    public var nextDomainName: DomainName
    public var types: TypeBitmap

    public init(nextDomainName: DomainName, types: TypeBitmap) {
        self.nextDomainName = nextDomainName
        self.types = types
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        nextDomainName = try reader.readName()
        types = try TypeBitmap(wire: &reader)
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeRDataName(nextDomainName)
        types.encode(to: &writer)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        nextDomainName = try scanner.name("next domain name")
        types = try TypeBitmap(presentation: &scanner)
    }

    public func appendPresentation(to out: inout String) {
        nextDomainName.appendPresentation(to: &out)
        if !types.isEmpty {
            out.append(" ")
            types.appendPresentation(to: &out)
        }
    }
}
