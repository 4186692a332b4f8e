/// An IPv4 address as its 32-bit value (network order when written).
public struct IPv4Address: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(bytes: UInt32) { self.rawValue = bytes }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Dotted-quad text, exactly four decimal parts 0–255 without leading zeros
    /// (as inet_pton accepts).
    public init?(text: some Collection<UInt8>) {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        var leadingZero = false
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                continue
            }
            guard byte &- 48 < 10 else { return nil }
            if digits == 1 && leadingZero { return nil }
            if digits == 0 { leadingZero = byte == 48 }
            part = part * 10 + UInt32(byte - 48)
            digits += 1
            guard part <= 255, digits <= 3 else { return nil }
        }
        guard digits > 0, parts == 3 else { return nil }
        rawValue = value << 8 | part
    }

    public init?(_ text: String) { self.init(text: Array(text.utf8)) }

    public var octets: [UInt8] {
        [UInt8(rawValue >> 24), UInt8((rawValue >> 16) & 0xFF), UInt8((rawValue >> 8) & 0xFF), UInt8(rawValue & 0xFF)]
    }

    public var description: String { octets.map(String.init).joined(separator: ".") }
}
