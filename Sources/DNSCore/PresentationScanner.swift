/// One token of presentation-form text: a run of non-blank characters, or the inside of a
/// double-quoted string. Escapes (`\X`, `\DDD`) are kept as written, because their meaning
/// depends on the field: a `\.` in a name is not a label separator.
public struct PresentationToken: Hashable, Sendable {
    public var text: ArraySlice<UInt8>
    public var isQuoted: Bool
    public var line: Int
    public var column: Int

    public init(text: ArraySlice<UInt8>, isQuoted: Bool, line: Int, column: Int) {
        self.text = text
        self.isQuoted = isQuoted
        self.line = line
        self.column = column
    }

    public var string: String { String(decoding: text, as: UTF8.self) }
}

/// Reads RDATA fields from tokens, one field at a time, with errors that point at the token.
public struct PresentationScanner: Sendable {
    public var tokens: [PresentationToken]
    public private(set) var index: Int = 0
    /// Completes relative names (RFC 1035 §5.1).
    public var origin: DomainName?
    /// Where to point errors about missing fields: just after the last token.
    public var endLine: Int
    public var endColumn: Int

    public init(tokens: [PresentationToken], origin: DomainName?, endLine: Int = 1, endColumn: Int = 1) {
        self.tokens = tokens
        self.origin = origin
        if let last = tokens.last {
            self.endLine = last.line
            self.endColumn = last.column + last.text.count + (last.isQuoted ? 2 : 0)
        } else {
            self.endLine = endLine
            self.endColumn = endColumn
        }
    }

    /// Splits one line of RDATA text into tokens: blanks separate, `"…"` quotes, `\` escapes
    /// the next character. (Parentheses and comments are the zone-file lexer's business.)
    public init(text: String, origin: DomainName? = nil) throws(PresentationError) {
        let bytes = Array(text.utf8)
        var tokens: [PresentationToken] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { i += 1; continue }
            let start = i
            if byte == UInt8(ascii: "\"") {
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                guard i < bytes.count else {
                    throw PresentationError(.unbalancedQuote, line: 1, column: start + 1, "unterminated quoted string")
                }
                tokens.append(PresentationToken(text: bytes[(start + 1)..<i], isQuoted: true, line: 1, column: start + 1))
                i += 1
                continue
            }
            while i < bytes.count, bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0A, bytes[i] != 0x0D, bytes[i] != UInt8(ascii: "\"") {
                i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1
            }
            i = min(i, bytes.count)
            tokens.append(PresentationToken(text: bytes[start..<i], isQuoted: false, line: 1, column: start + 1))
        }
        self.init(tokens: tokens, origin: origin, endLine: 1, endColumn: bytes.count + 1)
    }

    public var isAtEnd: Bool { index >= tokens.count }

    /// The next token is the RFC 3597 generic-RDATA marker `\#`.
    public var peekIsGenericMarker: Bool {
        guard index < tokens.count else { return false }
        let token = tokens[index]
        return !token.isQuoted && token.text.elementsEqual([UInt8(ascii: "\\"), UInt8(ascii: "#")])
    }

    /// An error located at the current token (or the end of the text).
    public func error(_ code: PresentationError.Code, _ reason: String) -> PresentationError {
        if index < tokens.count {
            let token = tokens[index]
            return PresentationError(code, line: token.line, column: token.column, reason)
        }
        return PresentationError(code, line: endLine, column: endColumn, reason)
    }

    /// An error located at `token`.
    public func error(_ code: PresentationError.Code, at token: PresentationToken, _ reason: String) -> PresentationError {
        PresentationError(code, line: token.line, column: token.column, reason)
    }

    /// The next token, or a "missing field" error naming `what`.
    public mutating func next(_ what: String) throws(PresentationError) -> PresentationToken {
        guard index < tokens.count else { throw error(.missingField, "missing \(what)") }
        defer { index += 1 }
        return tokens[index]
    }

    /// Fails if tokens are left over.
    public func finish() throws(PresentationError) {
        if index < tokens.count { throw error(.trailingData, "unexpected \"\(tokens[index].string)\" after the RDATA") }
    }

    public mutating func name(_ what: String) throws(PresentationError) -> DomainName {
        let token = try next(what)
        do {
            return try DomainName(presentation: token.text, origin: origin)
        } catch {
            throw self.error(.badName, at: token, "bad \(what) \"\(token.string)\": \(error)")
        }
    }

    public mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_ what: String, as _: T.Type = T.self) throws(PresentationError) -> T {
        let token = try next(what)
        guard !token.isQuoted, let value = Self.decimal(token.text, as: T.self) else {
            throw error(.badNumber, at: token, "\(what) \"\(token.string)\" is not a number from 0 to \(T.max)")
        }
        return value
    }

    static func decimal<T: FixedWidthInteger>(_ text: ArraySlice<UInt8>, as _: T.Type) -> T? {
        guard !text.isEmpty, text.count <= 20 else { return nil }
        var value: T = 0
        for byte in text {
            guard byte &- 48 < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(T(byte - 48))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// A <character-string> (RFC 1035 §5.1): quoted or not, escapes decoded, at most 255 octets.
    public mutating func characterString(_ what: String) throws(PresentationError) -> [UInt8] {
        let token = try next(what)
        let bytes = try decodeEscapes(token, what: what)
        guard bytes.count <= 255 else { throw error(.badString, at: token, "\(what) is \(bytes.count) octets, over 255") }
        return bytes
    }

    /// Decodes `\X` and `\DDD` in a token.
    public func decodeEscapes(_ token: PresentationToken, what: String) throws(PresentationError) -> [UInt8] {
        let text = token.text
        if !text.contains(UInt8(ascii: "\\")) { return Array(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let byte = text[i]
            if byte != UInt8(ascii: "\\") { out.append(byte); i += 1; continue }
            i += 1
            guard i < text.endIndex else { throw error(.badString, at: token, "\(what) ends in a lone backslash") }
            if text[i] &- 48 < 10 {
                guard i + 2 < text.endIndex, text[i + 1] &- 48 < 10, text[i + 2] &- 48 < 10 else {
                    throw error(.badString, at: token, "\(what) has a \\DDD escape without three digits")
                }
                let value = Int(text[i] - 48) * 100 + Int(text[i + 1] - 48) * 10 + Int(text[i + 2] - 48)
                guard value <= 255 else { throw error(.badString, at: token, "\(what) has \\\(value), over 255") }
                out.append(UInt8(value))
                i += 3
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// All remaining tokens concatenated (base64 and hex fields may contain blanks).
    public mutating func rest() -> [UInt8] {
        var out: [UInt8] = []
        while index < tokens.count {
            out.append(contentsOf: tokens[index].text)
            index += 1
        }
        return out
    }

    /// The remaining tokens as base64 (RFC 4648 §4), at least one token.
    public mutating func base64Rest(_ what: String) throws(PresentationError) -> [UInt8] {
        guard !isAtEnd else { throw error(.missingField, "missing \(what)") }
        let first = tokens[index]
        let text = rest()
        guard let bytes = Base64.decode(text) else { throw error(.badBase64, at: first, "\(what) is not valid base64") }
        return bytes
    }

    /// The remaining tokens as hex, at least one token.
    public mutating func hexRest(_ what: String) throws(PresentationError) -> [UInt8] {
        guard !isAtEnd else { throw error(.missingField, "missing \(what)") }
        let first = tokens[index]
        let text = rest()
        guard let bytes = Base16.decode(text) else { throw error(.badHex, at: first, "\(what) is not valid hex") }
        return bytes
    }

    /// One token as hex.
    public mutating func hex(_ what: String) throws(PresentationError) -> [UInt8] {
        let token = try next(what)
        guard let bytes = Base16.decode(token.text) else { throw error(.badHex, at: token, "\(what) \"\(token.string)\" is not valid hex") }
        return bytes
    }
}
