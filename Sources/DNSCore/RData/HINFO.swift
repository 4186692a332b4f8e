/// Host information (RFC 1035 §3.3.2): the CPU and the operating system, each a
/// <character-string>. Also the answer to an ANY query that a server declines (RFC 8482 §4.2,
/// `HINFO "RFC8482" ""`).
public struct HINFO: RDataFormat {
    public static let primaryType = RRType.hinfo
    public var cpu: CharacterString
    public var os: CharacterString

    public init(cpu: CharacterString, os: CharacterString) {
        self.cpu = cpu
        self.os = os
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        cpu = try CharacterString(wire: &reader)
        os = try CharacterString(wire: &reader)
    }

    public func encode(to writer: inout WireWriter) {
        cpu.encode(to: &writer)
        os.encode(to: &writer)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        cpu = try CharacterString(presentation: &scanner, "HINFO CPU")
        os = try CharacterString(presentation: &scanner, "HINFO OS")
    }

    public func appendPresentation(to out: inout String) {
        cpu.appendPresentation(to: &out)
        out.append(" ")
        os.appendPresentation(to: &out)
    }
}
