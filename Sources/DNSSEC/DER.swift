/// The little DER (ITU-T X.690) needed to hand RSA numbers to swift-crypto and read them back:
/// a SEQUENCE of INTEGERs, as in PKCS#1 RSAPublicKey and RSAPrivateKey (RFC 8017 §A.1).
enum DER {
    static func sequence(ofIntegers integers: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = []
        for integer in integers { body += tlv(0x02, unsignedInteger(integer)) }
        return tlv(0x30, body)
    }

    /// A non-negative big-endian integer's content octets: leading zeros stripped, one zero
    /// added when the top bit is set.
    static func unsignedInteger(_ bytes: [UInt8]) -> [UInt8] {
        let trimmed = stripLeadingZeros(bytes)
        if trimmed.isEmpty { return [0] }
        if trimmed[0] & 0x80 != 0 { return [0] + trimmed }
        return trimmed
    }

    /// `bytes` without leading zero octets (empty for zero).
    static func stripLeadingZeros(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.drop { $0 == 0 })
    }

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        let count = content.count
        if count < 0x80 {
            out.append(UInt8(count))
        } else {
            var length: [UInt8] = []
            var n = count
            while n > 0 { length.insert(UInt8(n & 0xFF), at: 0); n >>= 8 }
            out.append(0x80 | UInt8(length.count))
            out += length
        }
        return out + content
    }

    /// The non-negative INTEGERs of a DER SEQUENCE that holds nothing else (an RSAPrivateKey as
    /// BoringSSL writes it), as big-endian magnitudes without leading zeros; nil on anything
    /// malformed: wrong tags, lengths past the end, trailing octets, negative integers.
    static func integers(inSequence der: [UInt8]) -> [[UInt8]]? {
        var index = 0
        guard let body = element(der, at: &index, tag: 0x30), index == der.count else { return nil }
        var integers: [[UInt8]] = []
        var inner = body.lowerBound
        while inner < body.upperBound {
            guard let content = element(der, at: &inner, tag: 0x02), inner <= body.upperBound,
                  let first = der[content].first, first & 0x80 == 0 else { return nil }
            integers.append(stripLeadingZeros(Array(der[content])))
        }
        return integers
    }

    /// Reads one TLV with `tag` at `index` (definite length, at most four length octets) and
    /// returns the range of its content; `index` moves past it.
    private static func element(_ der: [UInt8], at index: inout Int, tag: UInt8) -> Range<Int>? {
        guard index + 2 <= der.count, der[index] == tag else { return nil }
        var length = Int(der[index + 1])
        var start = index + 2
        if length & 0x80 != 0 {
            let octets = length & 0x7F
            guard (1...4).contains(octets), start + octets <= der.count else { return nil }
            length = 0
            for octet in der[start..<(start + octets)] { length = length << 8 | Int(octet) }
            start += octets
        }
        guard length <= der.count - start else { return nil }
        index = start + length
        return start..<(start + length)
    }
}
