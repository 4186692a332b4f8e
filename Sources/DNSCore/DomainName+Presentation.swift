extension DomainName {
    /// Parses a name in presentation form (RFC 1035 §5.1): labels separated by `.`, `\X` for a
    /// literal character X, `\DDD` for the octet with decimal value DDD (0–255). A name that does
    /// not end in an unescaped `.` is relative and gets `origin` appended; `@` alone is the
    /// origin itself. A lone `.` is the root.
    public init(parsing text: some StringProtocol, origin: DomainName? = nil) throws(DomainNameError) {
        let bytes = Array(text.utf8)
        try self.init(presentation: bytes[...], origin: origin)
    }

    /// Byte-level variant of `init(parsing:origin:)`, used by the zone-file parser.
    public init(presentation text: ArraySlice<UInt8>, origin: DomainName?) throws(DomainNameError) {
        if text.count == 1, text.first == UInt8(ascii: "@") {
            guard let origin else { throw .relativeWithoutOrigin("@") }
            self = origin
            return
        }
        if text.count == 1, text.first == UInt8(ascii: ".") {
            self = .root
            return
        }
        if text.isEmpty { throw .emptyLabel }
        var wire: [UInt8] = []
        wire.reserveCapacity(text.count + 2)
        var labelStart = 0
        wire.append(0)
        var index = text.startIndex
        var absolute = false
        while index < text.endIndex {
            var byte = text[index]
            if byte == UInt8(ascii: ".") {
                let length = wire.count - labelStart - 1
                if length == 0 { throw .emptyLabel }
                if length > Self.maxLabelLength { throw .labelTooLong(length) }
                wire[labelStart] = UInt8(length)
                index += 1
                if index == text.endIndex { absolute = true; break }
                labelStart = wire.count
                wire.append(0)
                continue
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < text.endIndex else { throw .badEscape(String(decoding: text, as: UTF8.self)) }
                if Self.isDigit(text[index]) {
                    guard index + 2 < text.endIndex, Self.isDigit(text[index + 1]), Self.isDigit(text[index + 2]) else {
                        throw .badEscape(String(decoding: text, as: UTF8.self))
                    }
                    let value = Int(text[index] - 48) * 100 + Int(text[index + 1] - 48) * 10 + Int(text[index + 2] - 48)
                    guard value <= 255 else { throw .badEscape(String(decoding: text, as: UTF8.self)) }
                    byte = UInt8(value)
                    index += 3
                } else {
                    byte = text[index]
                    index += 1
                }
            } else {
                index += 1
            }
            wire.append(byte)
            if wire.count - labelStart - 1 > Self.maxLabelLength { throw .labelTooLong(wire.count - labelStart - 1) }
        }
        if !absolute {
            let length = wire.count - labelStart - 1
            if length == 0 { throw .emptyLabel }
            wire[labelStart] = UInt8(length)
        }
        wire.append(0)
        if !absolute {
            guard let origin else { throw .relativeWithoutOrigin(String(decoding: text, as: UTF8.self)) }
            wire.removeLast()
            wire.append(contentsOf: origin.wire)
        }
        if wire.count > Self.maxWireLength { throw .nameTooLong(wire.count) }
        self.init(uncheckedWire: wire)
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    /// One label in presentation form: `.`, `\`, `"`, `(`, `)`, `;`, `@`, `$` are
    /// backslash-escaped, other bytes outside 0x21–0x7E (space included) become `\DDD`, as
    /// BIND prints names (ldns also prints a space as `\032`).
    public static func escape(label: ArraySlice<UInt8>) -> String {
        var out = ""
        appendEscaped(label: label, to: &out)
        return out
    }

    static func appendEscaped(label: ArraySlice<UInt8>, to out: inout String) {
        var plain = true
        for byte in label where !(byte > 0x20 && byte < 0x7F) || isSpecial(byte) {
            plain = false
            break
        }
        if plain {
            out.append(String(decoding: label, as: UTF8.self))
            return
        }
        for byte in label {
            if isSpecial(byte) {
                out.append("\\")
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte > 0x20 && byte < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out.append("\\")
                let value = Int(byte)
                out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / 100)))
                out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + (value / 10) % 10)))
                out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value % 10)))
            }
        }
    }

    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            true
        default:
            false
        }
    }

    /// Appends the absolute presentation form (with trailing dot) to `out`.
    public func appendPresentation(to out: inout String) {
        if isRoot { out.append("."); return }
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            DomainName.appendEscaped(label: wire[(index + 1)..<(index + 1 + length)], to: &out)
            out.append(".")
            index += 1 + length
        }
    }
}

extension DomainName: CustomStringConvertible, ExpressibleByStringLiteral {
    /// Absolute presentation form with a trailing dot.
    public var description: String {
        var out = ""
        appendPresentation(to: &out)
        return out
    }

    /// For literals in code and tests; a literal that is not a valid name is a programming error.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value, origin: .root)
        } catch {
            preconditionFailure("invalid domain name literal \"\(value)\": \(error)")
        }
    }
}
