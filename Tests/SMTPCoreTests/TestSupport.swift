/// A seeded generator so "random splits" are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
