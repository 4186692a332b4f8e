/// Per-address politeness: at most `limit` holders of each key (an MX host address) at once.
/// A domain takes every one of its addresses before it is checked and gives them back after;
/// keys are taken in sorted order, so two domains sharing addresses cannot deadlock.
public actor ScanAddressLimiter {
    public let limit: Int
    var held: [String: Int] = [:]
    var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    public func acquire(_ keys: Set<String>) async {
        for key in keys.sorted() {
            while held[key, default: 0] >= limit {
                await withCheckedContinuation { waiting[key, default: []].append($0) }
            }
            held[key, default: 0] += 1
        }
    }

    public func release(_ keys: Set<String>) {
        for key in keys {
            let count = held[key, default: 1] - 1
            held[key] = count > 0 ? count : nil
            if var queue = waiting[key], !queue.isEmpty {
                queue.removeFirst().resume()
                waiting[key] = queue.isEmpty ? nil : queue
            }
        }
    }

    /// How many holders `key` has now (for tests).
    public func holders(_ key: String) -> Int { held[key, default: 0] }
}
