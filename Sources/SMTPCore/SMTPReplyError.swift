/// Why a byte stream is not a valid sequence of SMTP replies (RFC 5321 §4.2). Compare on `code`.
public struct SMTPReplyError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// A line is longer than the configured limit (RFC 5321 §4.5.3.1.5 sets 512 as the
        /// minimum a receiver must accept; daneprobe's default is 4,096).
        case lineTooLong
        /// A multi-line reply has more lines than the configured limit.
        case tooManyLines
        /// The first three octets are not a code from 200 to 599 (RFC 5321 §4.2: three digits,
        /// first 2–5).
        case invalidCode
        /// The fourth octet is neither a space, a hyphen nor the end of the line.
        case invalidSeparator
        /// A continuation line carries a different code from the reply's first line
        /// (RFC 5321 §4.2.1: every line of a multi-line reply has the same code).
        case mismatchedCode
        /// The text is not valid UTF-8 or holds a control character other than HT.
        case invalidText
    }

    public var code: Code
    /// The zero-based index of the offending line within its reply.
    public var lineIndex: Int
    public var reason: String

    public init(_ code: Code, lineIndex: Int, reason: String) {
        self.code = code
        self.lineIndex = lineIndex
        self.reason = reason
    }

    public var description: String { "SMTP reply error (\(code)) at line \(lineIndex): \(reason)" }
}
