/// An enhanced mail system status code, `class.subject.detail` (RFC 3463 §2), as carried at
/// the start of reply text when the server offers ENHANCEDSTATUSCODES (RFC 2034 §3).
public struct EnhancedStatusCode: Hashable, Sendable, CustomStringConvertible {
    /// 2 success, 4 persistent transient failure, 5 permanent failure (RFC 3463 §3.1).
    public var statusClass: UInt8
    /// 0–999 (RFC 3463 §2: one to three digits).
    public var subject: UInt16
    /// 0–999 (RFC 3463 §2: one to three digits).
    public var detail: UInt16

    public init(statusClass: UInt8, subject: UInt16, detail: UInt16) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }

    /// Parses the code at the start of `text` (followed by a space or the end of the text).
    /// RFC 3463 §2: class is 2, 4 or 5; subject and detail are 1–3 digits with no leading
    /// zeros beyond a single "0". Returns nil and the text is plain text otherwise.
    public init?(prefixOf text: Substring) {
        let token = text.prefix { $0 != " " }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        guard parts[0].count == 1, let first = parts[0].first, ["2", "4", "5"].contains(first) else { return nil }
        func number(_ part: Substring) -> UInt16? {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            if part.count > 1, part.first == "0" { return nil }
            return UInt16(part)
        }
        guard let subject = number(parts[1]), let detail = number(parts[2]), let cls = UInt8(parts[0]) else { return nil }
        self.init(statusClass: cls, subject: subject, detail: detail)
    }
}
