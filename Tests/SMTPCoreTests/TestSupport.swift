import DNSCore

/// `bytes` cut into chunks: whole, byte by byte, and `count` random splittings.
func splittings(of bytes: [UInt8], randomCount: Int = 20, seed: UInt64 = 7) -> [[[UInt8]]] {
    var result: [[[UInt8]]] = [[bytes], bytes.map { [$0] }]
    var rng = SplitMix64(seed: seed)
    for _ in 0..<randomCount {
        var chunks: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let length = Int.random(in: 1...max(1, min(17, bytes.count - index)), using: &rng)
            chunks.append(Array(bytes[index..<(index + length)]))
            index += length
        }
        result.append(chunks)
    }
    return result
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
