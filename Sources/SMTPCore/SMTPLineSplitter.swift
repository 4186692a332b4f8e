/// Splits a byte stream into SMTP lines with a length limit (RFC 5321 §2.3.8, §4.5.3.1).
///
/// A line ends at LF; a CR right before it is removed. With `requireCRLF` a bare LF does not end
/// a line (RFC 5321 §2.3.8: only CRLF ends a line — accepting bare LF is what made "SMTP
/// smuggling" possible), it stays in the line's bytes. A line longer than `maxLineLength` octets
/// (not counting the line ending) is reported as soon as the limit is passed — so an endless
/// line costs bounded memory and is noticed without waiting for its end — and the rest of it is
/// skipped up to the next line ending.
public struct SMTPLineSplitter: Sendable {
    public enum Event: Hashable, Sendable {
        case line([UInt8])
        /// A line passed the limit; its bytes are dropped up to the next line ending.
        case lineTooLong
    }

    public let maxLineLength: Int
    public let requireCRLF: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var skipping = false

    public init(maxLineLength: Int = 4096, requireCRLF: Bool = false) {
        self.maxLineLength = max(1, maxLineLength)
        self.requireCRLF = requireCRLF
    }

    /// Bytes received but not yet returned as a line.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// Drops every buffered byte (used at the STARTTLS boundary, RFC 3207 §5) and returns how many.
    public mutating func reset() -> Int {
        let count = bufferedByteCount
        buffer = []
        start = 0
        scanned = 0
        skipping = false
        return count
    }

    /// The next complete line or limit violation, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        while true {
            var index = max(start, scanned)
            var end: Int? = nil
            while index < buffer.count {
                if buffer[index] == 10, !requireCRLF || (index > start && buffer[index - 1] == 13) {
                    end = index
                    break
                }
                index += 1
            }
            guard let lineEnd = end else {
                scanned = buffer.count
                if skipping {
                    // Keep a trailing CR: it may pair with an LF still to come.
                    let keep = buffer.last == 13 ? 1 : 0
                    buffer.removeFirst(buffer.count - keep)
                    start = 0
                    scanned = 0
                    return nil
                }
                if buffer.count - start > maxLineLength + 1 {
                    skipping = true
                    compact()
                    return .lineTooLong
                }
                compact()
                return nil
            }
            var contentEnd = lineEnd
            if contentEnd > start, buffer[contentEnd - 1] == 13 { contentEnd -= 1 }
            let line = Array(buffer[start..<contentEnd])
            start = lineEnd + 1
            scanned = start
            if skipping {
                skipping = false
                continue
            }
            if line.count > maxLineLength {
                return .lineTooLong
            }
            if start > 4096 { compact() }
            return .line(line)
        }
    }

    private mutating func compact() {
        guard start > 0 else { return }
        buffer.removeFirst(start)
        scanned -= start
        start = 0
    }
}
