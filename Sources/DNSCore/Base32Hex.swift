/// Base32 with the "Extended Hex" alphabet `0-9A-V` (RFC 4648 §7), written without padding as
/// NSEC3 does for the next hashed owner name (RFC 5155 §3.3) and for hashed owner labels. The
/// alphabet keeps the sort order of the octets, which is why NSEC3 uses it.
public enum Base32Hex {
    static let upper: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUV".utf8)
    static let lower: [UInt8] = Array("0123456789abcdefghijklmnopqrstuv".utf8)

    /// Decodes unpadded base32hex, letters in either case. Nil on a character outside the
    /// alphabet (padding `=` included), on a length that no octet string encodes to (1, 3 or 6
    /// characters past a multiple of 8), or on non-zero leftover bits in the last character
    /// (RFC 4648 §3.5 lets decoders reject those; rejecting keeps text and octets one-to-one).
    public static func decode<Text: Collection>(_ text: Text) -> [UInt8]? where Text.Element == UInt8 {
        switch text.count % 8 {
        case 1, 3, 6: return nil
        default: break
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text {
            guard let value = value(byte) else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        guard buffer == 0 else { return nil }
        return out
    }

    @inline(__always)
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...86: byte - 55
        case 97...118: byte - 87
        default: nil
        }
    }

    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = true) -> String {
        var out = ""
        append(bytes, to: &out, uppercase: uppercase)
        return out
    }

    /// Appends the unpadded encoding of `bytes`.
    public static func append(_ bytes: some Sequence<UInt8>, to out: inout String, uppercase: Bool = true) {
        let table = uppercase ? upper : lower
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.unicodeScalars.append(Unicode.Scalar(table[Int((buffer >> UInt32(bits)) & 0x1F)]))
            }
            buffer &= (1 << UInt32(bits)) - 1
        }
        if bits > 0 {
            out.unicodeScalars.append(Unicode.Scalar(table[Int((buffer << UInt32(5 - bits)) & 0x1F)]))
        }
    }
}
