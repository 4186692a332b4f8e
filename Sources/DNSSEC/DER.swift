/// The little DER (ITU-T X.690) needed to hand RSA numbers to swift-crypto: a SEQUENCE of
/// INTEGERs, as in PKCS#1 RSAPublicKey and RSAPrivateKey (RFC 8017 §A.1).
enum DER {
    static func sequence(ofIntegers integers: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = []
        for integer in integers { body += tlv(0x02, unsignedInteger(integer)) }
        return tlv(0x30, body)
    }

    /// A non-negative big-endian integer's content octets: leading zeros stripped, one zero
    /// added when the top bit is set.
    static func unsignedInteger(_ bytes: [UInt8]) -> [UInt8] {
        var trimmed = ArraySlice(bytes)
        while trimmed.count > 1, trimmed.first == 0 { trimmed = trimmed.dropFirst() }
        if trimmed.isEmpty { return [0] }
        if trimmed.first! & 0x80 != 0 { return [0] + trimmed }
        return Array(trimmed)
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
}
