extension PresentationScanner {
    /// A 32-bit duration in seconds: plain decimal (RFC 1035), or the BIND/ldns unit form
    /// `1w2d3h4m5s` (units case-insensitive, each at most once is not enforced, as in BIND).
    public mutating func duration(_ what: String) throws(PresentationError) -> UInt32 {
        let token = try next(what)
        guard !token.isQuoted, let value = Self.parseDuration(token.text) else {
            throw error(.badNumber, at: token, "\(what) \"\(token.string)\" is not a duration of at most \(UInt32.max) seconds")
        }
        return value
    }

    /// Parses `3600`, `1h`, `1h30m`, `2W`; nil when malformed or over 2^32 - 1.
    public static func parseDuration(_ text: ArraySlice<UInt8>) -> UInt32? {
        if let plain = decimal(text, as: UInt32.self) { return plain }
        guard !text.isEmpty else { return nil }
        var total: UInt64 = 0
        var number: UInt64 = 0
        var digits = 0
        for byte in text {
            if byte &- 48 < 10 {
                number = number * 10 + UInt64(byte - 48)
                digits += 1
                if number > UInt64(UInt32.max) { return nil }
                continue
            }
            let multiplier: UInt64
            switch byte | 0x20 {
            case UInt8(ascii: "s"): multiplier = 1
            case UInt8(ascii: "m"): multiplier = 60
            case UInt8(ascii: "h"): multiplier = 3600
            case UInt8(ascii: "d"): multiplier = 86400
            case UInt8(ascii: "w"): multiplier = 604800
            default: return nil
            }
            guard digits > 0 else { return nil }
            total += number * multiplier
            if total > UInt64(UInt32.max) { return nil }
            number = 0
            digits = 0
        }
        guard digits == 0 else { return nil }
        return UInt32(total)
    }
}
