import DNSCore

/// One logical entry of a master file: the tokens of one line, or of several lines joined by
/// parentheses (RFC 1035 §5.1).
struct ZoneEntry {
    var tokens: [PresentationToken]
    /// The physical line began with a blank, so the owner is the previous one (RFC 1035 §5.1).
    var startsWithBlank: Bool
    var line: Int
    var column: Int
    /// Where the entry ended, for "missing field" errors.
    var endLine: Int
    var endColumn: Int
}

/// Splits master-file text into entries (RFC 1035 §5.1): blanks separate tokens; `;` starts a
/// comment to the end of the line; `(` … `)` continue an entry over line ends; `"…"` quotes
/// (a quoted string may not cross a line end); `\` escapes the next character, whose meaning
/// is left to the field parser. Lexical errors are reported and the lexer resynchronises at
/// the next line end outside parentheses.
struct ZoneFileLexer {
    let bytes: [UInt8]
    private(set) var index = 0
    private(set) var line = 1
    private var lineStart = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    enum Item {
        case entry(ZoneEntry)
        case error(PresentationError)
    }

    private var column: Int { index - lineStart + 1 }

    private mutating func newline() {
        index += 1
        line += 1
        lineStart = index
    }

    /// The next entry with at least one token, an error, or nil at the end.
    mutating func next() -> Item? {
        var tokens: [PresentationToken] = []
        tokens.reserveCapacity(8)
        var depth = 0
        var startsWithBlank = false
        var entryLine = line
        var entryColumn = 1
        var openLine = 0, openColumn = 0
        var atLineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x0A:
                if depth == 0 {
                    if !tokens.isEmpty {
                        let item = finish(tokens, startsWithBlank, entryLine, entryColumn)
                        newline()
                        return item
                    }
                    atLineStart = true
                    startsWithBlank = false
                }
                newline()
            case 0x20, 0x09, 0x0D:
                if atLineStart && tokens.isEmpty && byte != 0x0D { startsWithBlank = true }
                atLineStart = false
                index += 1
            case UInt8(ascii: ";"):
                atLineStart = false
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            case UInt8(ascii: "("):
                atLineStart = false
                if depth == 0 { openLine = line; openColumn = column }
                if tokens.isEmpty { entryLine = line; entryColumn = column }
                depth += 1
                index += 1
            case UInt8(ascii: ")"):
                atLineStart = false
                if depth == 0 {
                    let error = PresentationError(.badValue, line: line, column: column, "\")\" without a matching \"(\"")
                    skipLine()
                    return .error(error)
                }
                depth -= 1
                index += 1
            case UInt8(ascii: "\""):
                atLineStart = false
                let startLine = line, startColumn = column
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != 0x0A {
                    index += bytes[index] == UInt8(ascii: "\\") && index + 1 < bytes.count && bytes[index + 1] != 0x0A ? 2 : 1
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    let error = PresentationError(.unbalancedQuote, line: startLine, column: startColumn, "quoted string not closed on this line")
                    skipEntry(depth: depth)
                    return .error(error)
                }
                if tokens.isEmpty { entryLine = startLine; entryColumn = startColumn }
                tokens.append(PresentationToken(text: bytes[start..<index], isQuoted: true, line: startLine, column: startColumn))
                index += 1
            default:
                atLineStart = false
                let startColumn = column
                let start = index
                scan: while index < bytes.count {
                    switch bytes[index] {
                    case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""):
                        break scan
                    case UInt8(ascii: "\\"):
                        index += index + 1 < bytes.count && bytes[index + 1] != 0x0A ? 2 : 1
                    default:
                        index += 1
                    }
                }
                if tokens.isEmpty { entryLine = line; entryColumn = startColumn }
                tokens.append(PresentationToken(text: bytes[start..<index], isQuoted: false, line: line, column: startColumn))
            }
        }
        if depth > 0 {
            return .error(PresentationError(.badValue, line: openLine, column: openColumn, "\"(\" not closed before the end of the file"))
        }
        if !tokens.isEmpty { return finish(tokens, startsWithBlank, entryLine, entryColumn) }
        return nil
    }

    private func finish(_ tokens: [PresentationToken], _ blank: Bool, _ line: Int, _ column: Int) -> Item {
        let last = tokens[tokens.count - 1]
        return .entry(ZoneEntry(
            tokens: tokens, startsWithBlank: blank, line: line, column: column,
            endLine: last.line, endColumn: last.column + last.text.count + (last.isQuoted ? 2 : 0)
        ))
    }

    /// Error recovery: drop the rest of the current line.
    private mutating func skipLine() {
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
    }

    /// Error recovery inside parentheses: drop everything up to the `)` that closes the entry
    /// (quotes and comments still respected), then the rest of that line.
    private mutating func skipEntry(depth: Int) {
        var depth = depth
        while index < bytes.count, depth > 0 {
            switch bytes[index] {
            case 0x0A: newline(); continue
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: ";"):
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            case UInt8(ascii: "\\"): index += 1
            default: break
            }
            index += 1
        }
        skipLine()
    }
}
