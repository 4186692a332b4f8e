/// Assembles SMTP replies from lines or from bytes fed in any split (RFC 5321 §4.2).
///
/// RFC 5321 §4.2.1: a multi-line reply has the code followed by "-" on every line but the
/// last, which has the code followed by a space (or nothing); all lines carry the same code.
/// Every violation, and every limit passed, is a thrown `SMTPReplyError`; after an error the
/// stream is out of sync and the caller should stop reading (the parser keeps throwing).
public struct SMTPReplyParser: Sendable {
    public struct Limits: Hashable, Sendable {
        /// Octets per line, without the CRLF. RFC 5321 §4.5.3.1.5: at least 512.
        public var maxLineLength: Int
        /// Lines per reply.
        public var maxLines: Int

        public init(maxLineLength: Int = 4096, maxLines: Int = 100) {
            self.maxLineLength = maxLineLength
            self.maxLines = maxLines
        }
    }

    public let limits: Limits
    private var splitter: SMTPLineSplitter
    private var pendingCode: SMTPReplyCode?
    private var pendingLines: [String] = []
    private var failure: SMTPReplyError?

    public init(limits: Limits = Limits()) {
        self.limits = limits
        splitter = SMTPLineSplitter(maxLineLength: limits.maxLineLength)
    }

    /// Whether a multi-line reply has begun and not ended.
    public var isInsideReply: Bool { pendingCode != nil }

    public mutating func append(_ bytes: some Sequence<UInt8>) { splitter.append(bytes) }

    /// Drops buffered bytes and any half-read reply; returns how many bytes were dropped.
    public mutating func reset() -> Int {
        pendingCode = nil
        pendingLines = []
        return splitter.reset()
    }

    /// The next complete reply from the bytes appended so far, or nil when more are needed.
    public mutating func nextReply() throws(SMTPReplyError) -> SMTPReply? {
        while let event = splitter.next() {
            switch event {
            case .lineTooLong:
                try fail(.lineTooLong, "line longer than \(limits.maxLineLength) octets")
            case .line(let line):
                if let reply = try consume(line: line) { return reply }
            }
        }
        if let failure { throw failure }
        return nil
    }

    /// Adds one line (without its line ending) and returns the reply it completes, if any.
    public mutating func consume(line: some Collection<UInt8>) throws(SMTPReplyError) -> SMTPReply? {
        if let failure { throw failure }
        let bytes = Array(line)
        if bytes.count > limits.maxLineLength {
            try fail(.lineTooLong, "line longer than \(limits.maxLineLength) octets")
        }
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (48...57).contains($0) }), (50...53).contains(bytes[0]) else {
            try fail(.invalidCode, "line does not start with a reply code 200–599")
        }
        let code = SMTPReplyCode(rawValue: UInt16(bytes[0] - 48) * 100 + UInt16(bytes[1] - 48) * 10 + UInt16(bytes[2] - 48))
        let isLast: Bool
        if bytes.count == 3 {
            isLast = true
        } else if bytes[3] == UInt8(ascii: " ") {
            isLast = true
        } else if bytes[3] == UInt8(ascii: "-") {
            isLast = false
        } else {
            try fail(.invalidSeparator, "fourth octet is neither space nor hyphen")
        }
        if let pendingCode, pendingCode != code {
            try fail(.mismatchedCode, "continuation line has code \(code), reply began with \(pendingCode)")
        }
        // RFC 5321 §4.2: textstring is HT, SP and printable characters (RFC 6531 §3.7.4.1
        // adds UTF-8). A CR, NUL or other control inside the text is refused: a lone CR
        // could otherwise make two parties disagree on where a line ends.
        let textBytes = bytes.dropFirst(4)
        if textBytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            try fail(.invalidText, "control character in reply text")
        }
        guard let text = String(validating: textBytes, as: UTF8.self) else {
            try fail(.invalidText, "reply text is not UTF-8")
        }
        pendingCode = code
        pendingLines.append(text)
        if isLast {
            let reply = SMTPReply(code: code, lines: pendingLines)
            pendingCode = nil
            pendingLines = []
            return reply
        }
        if pendingLines.count >= limits.maxLines {
            try fail(.tooManyLines, "reply longer than \(limits.maxLines) lines")
        }
        return nil
    }

    private mutating func fail(_ code: SMTPReplyError.Code, _ reason: String) throws(SMTPReplyError) -> Never {
        let error = SMTPReplyError(code, lineIndex: pendingLines.count, reason: reason)
        failure = error
        throw error
    }
}
