/// A <character-string> (RFC 1035 §3.3): up to 255 octets, written on the wire after a
/// length octet. The octets are arbitrary; text is only a convention.
///
/// The presentation helpers here are shared by every field printed as a character-string or
/// as a quoted string (TXT, HINFO, CAA values, SVCB values), so they all escape alike.
public struct CharacterString: Hashable, Sendable {
    /// The octets, at most `maxLength`.
    public let bytes: [UInt8]

    /// The length octet caps a character-string at 255 octets (RFC 1035 §3.3).
    public static let maxLength = 255

    /// Nil when `bytes` is longer than 255 octets.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count <= Self.maxLength else { return nil }
        self.bytes = Array(bytes)
    }

    /// The UTF-8 octets of `text`; nil when they are longer than 255 octets.
    public init?(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// Trusted constructor: `bytes` is at most 255 octets.
    init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    public static let empty = CharacterString(unchecked: [])

    /// Reads a length octet and that many octets (RFC 1035 §3.3).
    public init(wire reader: inout WireReader) throws(DNSWireError) {
        self.init(unchecked: try reader.readCharacterString())
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeCharacterString(bytes)
    }

    /// Reads one token, quoted or not, with `\X` and `\DDD` decoded (RFC 1035 §5.1).
    public init(presentation scanner: inout PresentationScanner, _ what: String) throws(PresentationError) {
        self.init(unchecked: try scanner.characterString(what))
    }

    /// Appends the string quoted, as BIND and ldns print TXT and HINFO strings.
    public func appendPresentation(to out: inout String) {
        Self.appendQuoted(bytes, to: &out)
    }

    /// The quoted presentation form, e.g. `"v=spf1 -all"`.
    public var presentation: String {
        var out = ""
        appendPresentation(to: &out)
        return out
    }

    // MARK: - Shared escaping

    /// Appends `bytes` inside double quotes: `"` and `\` are backslash-escaped, printable ASCII
    /// (0x20–0x7E) is literal, every other octet is `\DDD` (RFC 1035 §5.1). This is what BIND
    /// prints (ldns differs only in printing a tab literally).
    public static func appendQuoted(_ bytes: some Sequence<UInt8>, to out: inout String) {
        out.append("\"")
        appendEscaped(bytes, to: &out)
        out.append("\"")
    }

    /// Appends `bytes` as a value in a `key=value` field (SVCB, RFC 9460 §2.1): without quotes
    /// unless it holds a space or a character the zone-file lexer treats specially (`;`, `(`,
    /// `)`), as ldns prints SvcParam values; an empty value is `""`.
    public static func appendValue(_ bytes: some Collection<UInt8>, to out: inout String) {
        let needsQuotes = bytes.isEmpty || bytes.contains { byte in
            byte == 0x20 || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
        }
        if needsQuotes {
            appendQuoted(bytes, to: &out)
        } else {
            appendEscaped(bytes, to: &out)
        }
    }

    /// The escaping both forms share (a space only ever appears inside quotes).
    static func appendEscaped(_ bytes: some Sequence<UInt8>, to out: inout String) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append("\\")
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x20...0x7E:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                appendDecimalEscape(byte, to: &out)
            }
        }
    }

    /// `\DDD`, three decimal digits.
    static func appendDecimalEscape(_ byte: UInt8, to out: inout String) {
        out.append("\\")
        out.unicodeScalars.append(Unicode.Scalar(48 + byte / 100))
        out.unicodeScalars.append(Unicode.Scalar(48 + (byte / 10) % 10))
        out.unicodeScalars.append(Unicode.Scalar(48 + byte % 10))
    }
}

extension CharacterString: ExpressibleByStringLiteral, CustomStringConvertible {
    /// For literals in code and tests; a literal over 255 octets is a programming error.
    public init(stringLiteral value: String) {
        guard let string = CharacterString(value) else {
            preconditionFailure("character-string literal of \(value.utf8.count) octets exceeds 255")
        }
        self = string
    }

    /// The quoted presentation form.
    public var description: String { presentation }
}
