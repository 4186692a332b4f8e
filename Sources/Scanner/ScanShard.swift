/// `--shard K/N`: this worker scans the domains whose stable hash is K-1 modulo N (K is
/// 1-based), so N workers given the same input split it without talking to each other. The
/// hash is FNV-1a 64 of the lower-case absolute name: the same on every machine and run
/// (Swift's `Hasher` is seeded per process and would not be).
public struct ScanShard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public static let all = ScanShard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `K/N` with 1 ≤ K ≤ N; nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        self.init(index: k, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ key: String) -> Bool {
        count == 1 || Int(Self.hash(key) % UInt64(count)) == index - 1
    }

    public static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.lowercased().utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
