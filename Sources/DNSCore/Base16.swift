/// Hexadecimal (RFC 4648 §8), case-insensitive on input, uppercase on output as DNS tools
/// print DS digests and TLSA data.
public enum Base16 {
    public static func decode<Text: Collection>(_ text: Text) -> [UInt8]? where Text.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8?
        for byte in text {
            guard let nibble = value(byte) else { return nil }
            if let h = high { out.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return out
    }

    @inline(__always)
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }

    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = true) -> String {
        var out = ""
        append(bytes, to: &out, uppercase: uppercase)
        return out
    }

    public static func append(_ bytes: some Sequence<UInt8>, to out: inout String, uppercase: Bool = true) {
        let digits: StaticString = uppercase ? "0123456789ABCDEF" : "0123456789abcdef"
        digits.withUTF8Buffer { table in
            for byte in bytes {
                out.unicodeScalars.append(Unicode.Scalar(table[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(table[Int(byte & 0x0F)]))
            }
        }
    }
}
