import Synchronization

/// Where query IDs, source ports and 0x20 case bits come from (DESIGN.md: randomness is
/// injected). The system generator by default; a seeded one in tests.
public protocol QueryRandomness: Sendable {
    func next() -> UInt64
}

/// The system's cryptographically secure generator.
public struct SystemQueryRandomness: QueryRandomness {
    public init() {}
    public func next() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }
}

/// A deterministic generator (SplitMix64) for tests.
public final class SeededQueryRandomness: QueryRandomness {
    private let state: Mutex<UInt64>

    public init(seed: UInt64) { state = Mutex(seed) }

    public func next() -> UInt64 {
        state.withLock { state in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
