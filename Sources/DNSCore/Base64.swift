/// Base64 (RFC 4648 §4) with padding, as DNSKEY, RRSIG and friends use it.
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Decodes padded base64; blanks must already be removed. Nil on any invalid character,
    /// bad padding or a length that is not a multiple of 4.
    public static func decode<Text: Collection>(_ text: Text) -> [UInt8]? where Text.Element == UInt8 {
        let chars = Array(text)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let last = i + 4 == chars.count
            var quad: [UInt8] = [0, 0, 0, 0]
            var pad = 0
            for k in 0..<4 {
                let c = chars[i + k]
                if c == UInt8(ascii: "=") {
                    guard last, k >= 2 else { return nil }
                    pad += 1
                    continue
                }
                guard pad == 0 else { return nil }
                let v = reverse[Int(c)]
                guard v != 0xFF else { return nil }
                quad[k] = v
            }
            out.append(quad[0] << 2 | quad[1] >> 4)
            if pad < 2 { out.append((quad[1] & 0x0F) << 4 | quad[2] >> 2) }
            if pad < 1 { out.append((quad[2] & 0x03) << 6 | quad[3]) }
            i += 4
        }
        return out
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = ""
        append(bytes, to: &out)
        return out
    }

    public static func append(_ bytes: [UInt8], to out: inout String) {
        var i = 0
        func put(_ v: UInt8) { out.unicodeScalars.append(Unicode.Scalar(alphabet[Int(v)])) }
        while i + 3 <= bytes.count {
            let b0 = bytes[i], b1 = bytes[i + 1], b2 = bytes[i + 2]
            put(b0 >> 2); put((b0 & 0x03) << 4 | b1 >> 4); put((b1 & 0x0F) << 2 | b2 >> 6); put(b2 & 0x3F)
            i += 3
        }
        let left = bytes.count - i
        if left == 1 {
            let b0 = bytes[i]
            put(b0 >> 2); put((b0 & 0x03) << 4); out.append("==")
        } else if left == 2 {
            let b0 = bytes[i], b1 = bytes[i + 1]
            put(b0 >> 2); put((b0 & 0x03) << 4 | b1 >> 4); put((b1 & 0x0F) << 2); out.append("=")
        }
    }
}
