/// An IPv6 address as its 16 octets.
public struct IPv6Address: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// For callers that have read exactly 16 octets.
    init(checkedBytes bytes: [UInt8]) {
        precondition(bytes.count == 16)
        self.bytes = bytes
    }

    /// RFC 4291 §2.2 text: eight groups of 1–4 hex digits, one `::` for a run of zero groups,
    /// an optional trailing dotted-quad IPv4 part.
    public init?(text: String) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var i = 0
        if utf8.starts(with: [58, 58]) {
            sawGap = true
            i = 2
            if i == utf8.count { self.bytes = [UInt8](repeating: 0, count: 16); return }
        } else if utf8[0] == 58 {
            return nil
        }
        while i < utf8.count {
            // Find the end of this group.
            var j = i
            while j < utf8.count, utf8[j] != 58 { j += 1 }
            let group = utf8[i..<j]
            if group.contains(UInt8(ascii: ".")) {
                guard j == utf8.count, let v4 = IPv4Address(text: group) else { return nil }
                let words = [UInt16(v4.rawValue >> 16), UInt16(v4.rawValue & 0xFFFF)]
                if sawGap { tail += words } else { head += words }
                i = j
                break
            }
            guard !group.isEmpty, group.count <= 4 else { return nil }
            var word: UInt16 = 0
            for byte in group {
                guard let nibble = Base16.value(byte) else { return nil }
                word = word << 4 | UInt16(nibble)
            }
            if sawGap { tail.append(word) } else { head.append(word) }
            if j == utf8.count { i = j; break }
            // j is at ':'
            if j + 1 < utf8.count, utf8[j + 1] == 58 {
                guard !sawGap else { return nil }
                sawGap = true
                i = j + 2
                if i == utf8.count { break }
            } else {
                guard j + 1 < utf8.count else { return nil }
                i = j + 1
            }
        }
        let total = head.count + tail.count
        if sawGap { guard total <= 7 else { return nil } } else { guard total == 8 else { return nil } }
        let words = head + [UInt16](repeating: 0, count: 8 - total) + tail
        var out: [UInt8] = []
        for word in words { out.append(UInt8(word >> 8)); out.append(UInt8(word & 0xFF)) }
        self.bytes = out
    }

    var words: [UInt16] { (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) } }

    /// RFC 5952 §4 text: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as
    /// `::` (the first if tied); IPv4-mapped addresses end in dotted-quad (§5). Like inet_ntop
    /// (and so ldns and BIND), an address whose first six groups are zero and seventh is not
    /// (IPv4-compatible, RFC 4291 §2.5.5.1) is printed `::a.b.c.d` too.
    public var description: String {
        let w = words
        if w[0...4].allSatisfy({ $0 == 0 }) && w[5] == 0xFFFF {
            return "::ffff:\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])"
        }
        if w[0...5].allSatisfy({ $0 == 0 }) && w[6] != 0 {
            return "::\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])"
        }
        var bestStart = -1, bestLength = 0
        var k = 0
        while k < 8 {
            if w[k] == 0 {
                var end = k
                while end < 8, w[end] == 0 { end += 1 }
                if end - k > bestLength { bestStart = k; bestLength = end - k }
                k = end
            } else {
                k += 1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var out = ""
        var index = 0
        while index < 8 {
            if index == bestStart {
                out += "::"
                index += bestLength
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(w[index], radix: 16)
            index += 1
        }
        return out
    }
}
