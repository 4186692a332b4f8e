/// One SMTP reply, possibly multi-line (RFC 5321 §4.2).
///
/// `lines` holds the text of each line after the code and its separator ("250-" or "250 "),
/// without the CRLF. `enhancedStatusCode` is the RFC 3463 code at the start of the first line's
/// text, when present and in the same class as the reply code (RFC 2034 §3).
public struct SMTPReply: Hashable, Sendable, CustomStringConvertible {
    public var code: SMTPReplyCode
    public var lines: [String]

    public init(code: SMTPReplyCode, lines: [String]) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
    }

    public init(code: SMTPReplyCode, _ text: String) { self.init(code: code, lines: [text]) }

    public var enhancedStatusCode: EnhancedStatusCode? {
        guard let first = lines.first, let status = EnhancedStatusCode(prefixOf: first[...]) else { return nil }
        guard UInt16(status.statusClass) == code.category else { return nil }
        return status
    }

    /// All lines joined with a newline, for messages.
    public var text: String { lines.joined(separator: "\n") }

    public var description: String { "\(code) \(lines.joined(separator: " / "))" }

    /// The reply on the wire: "code-text" for every line but the last, "code text" for the
    /// last, each ending in CRLF (RFC 5321 §4.2.1). CR and LF inside a line's text are replaced
    /// by spaces so a reply can never split into more lines than it has.
    public var wire: [UInt8] {
        var out: [UInt8] = []
        for (index, line) in lines.enumerated() {
            out += Array(String(code.rawValue).utf8)
            out.append(index == lines.count - 1 ? UInt8(ascii: " ") : UInt8(ascii: "-"))
            out += line.utf8.map { $0 == 13 || $0 == 10 ? UInt8(ascii: " ") : $0 }
            out += [13, 10]
        }
        return out
    }
}
