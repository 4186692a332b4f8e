/// Descriptive text (RFC 1035 §3.3.14): one or more <character-string>s.
///
/// RFC 1035 gives no way to write zero strings in presentation form, so empty RDATA is
/// rejected on the wire as malformed; a single empty string (`""`) is fine.
public struct TXT: RDataFormat {
    public static let primaryType = RRType.txt
    /// At least one string.
    public private(set) var strings: [CharacterString]

    /// The longest RDATA (RDLENGTH is 16 bits): 65,535 octets, length octets included.
    public static let maxWireLength = Int(UInt16.max)

    /// Nil for an empty list (TXT RDATA holds at least one string) or one whose wire form
    /// exceeds 65,535 octets.
    public init?(strings: [CharacterString]) {
        guard !strings.isEmpty, strings.reduce(0, { $0 + 1 + $1.bytes.count }) <= Self.maxWireLength else { return nil }
        self.strings = strings
    }

    public init(_ string: CharacterString) {
        self.strings = [string]
    }

    /// `text` cut into 255-octet strings, as long TXT values (DKIM keys, SPF) are published;
    /// empty text gives one empty string. Nil when the strings would not fit 65,535 octets
    /// (more than 65,280 octets of text).
    public init?(splitting text: some Collection<UInt8>) {
        let bytes = Array(text)
        guard bytes.count + (bytes.count + CharacterString.maxLength - 1) / CharacterString.maxLength <= Self.maxWireLength else { return nil }
        var strings: [CharacterString] = []
        var start = 0
        repeat {
            let end = min(start + CharacterString.maxLength, bytes.count)
            strings.append(CharacterString(unchecked: Array(bytes[start..<end])))
            start = end
        } while start < bytes.count
        self.strings = strings
    }

    /// The strings concatenated (how SPF and DKIM read a split value).
    public var joined: [UInt8] { strings.flatMap(\.bytes) }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        guard !reader.isAtEnd else {
            throw DNSWireError(.badRDATA, at: reader.offset, "TXT RDATA holds no character-string (RFC 1035 §3.3.14)")
        }
        var strings: [CharacterString] = []
        while !reader.isAtEnd { strings.append(try CharacterString(wire: &reader)) }
        self.strings = strings
    }

    public func encode(to writer: inout WireWriter) {
        for string in strings { string.encode(to: &writer) }
    }

    /// Every remaining token is one string; the RDATA must fit 65,535 octets.
    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        guard !scanner.isAtEnd else { throw scanner.error(.missingField, "missing TXT character-string") }
        var strings: [CharacterString] = []
        var length = 0
        while !scanner.isAtEnd {
            let string = try CharacterString(presentation: &scanner, "TXT character-string")
            length += 1 + string.bytes.count
            guard length <= Self.maxWireLength else {
                throw scanner.error(.badString, "TXT RDATA exceeds 65535 octets")
            }
            strings.append(string)
        }
        self.strings = strings
    }

    /// Each string quoted, separated by a space, as BIND and ldns print them.
    public func appendPresentation(to out: inout String) {
        for (index, string) in strings.enumerated() {
            if index > 0 { out.append(" ") }
            string.appendPresentation(to: &out)
        }
    }
}
