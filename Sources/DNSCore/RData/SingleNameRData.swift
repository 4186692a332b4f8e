/// The layout shared by types whose RDATA is one domain name (NS, CNAME, DNAME, PTR); each
/// type keeps its own struct so code says which it means.
public protocol SingleNameRData: RDataFormat {
    var target: DomainName { get }
    init(_ target: DomainName)
}

extension SingleNameRData {
    public init(wire reader: inout WireReader) throws(DNSWireError) {
        self.init(try reader.readName())
    }

    public func encode(to writer: inout WireWriter) { writer.writeRDataName(target) }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        self.init(try scanner.name("target name"))
    }

    public func appendPresentation(to out: inout String) { target.appendPresentation(to: &out) }
}
