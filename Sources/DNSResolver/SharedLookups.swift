/// Values computed once per key and shared: concurrent callers asking for a key being computed
/// wait for that computation (a continuation list) instead of starting their own, and finished
/// values are kept until their expiry. The computation runs in the first caller's task, so no
/// unstructured task is ever created.
///
/// Memory is bounded: past `capacity` finished values, the expired ones go first, then the
/// least recently used, down to 90 % of `capacity` (evicting in batches keeps the cost per
/// insertion logarithmic). An evicted value is computed again when next asked for; the TTL
/// rules (RFC 2308 §5 for negative answers) only ever shorten how long a value is kept.
actor SharedLookups<Key: Hashable & Sendable, Value: Sendable> {
    private enum Entry {
        case pending([CheckedContinuation<Value, Never>])
        case ready(Value, expires: Int64, lastUse: UInt64)
    }

    private var entries: [Key: Entry] = [:]
    private var readyCount = 0
    private var useCounter: UInt64 = 0
    let capacity: Int
    /// How many computations ran (tests check de-duplication with it).
    private(set) var computations = 0
    /// How many finished values were evicted for room (not for expiry).
    private(set) var evictions = 0

    init(capacity: Int = .max) {
        self.capacity = max(1, capacity)
    }

    /// The cached or shared value for `key`, else `compute()`'s, kept for the TTL it returns
    /// (0: not kept, but still shared with those already waiting).
    func value(for key: Key, now: Int64, compute: @Sendable () async -> (Value, ttl: Int64)) async -> Value {
        switch entries[key] {
        case .ready(let value, let expires, _) where expires > now:
            useCounter += 1
            entries[key] = .ready(value, expires: expires, lastUse: useCounter)
            return value
        case .pending:
            return await withCheckedContinuation { continuation in
                if case .pending(var waiters) = entries[key] {
                    waiters.append(continuation)
                    entries[key] = .pending(waiters)
                }
            }
        case .ready, nil:
            if case .ready = entries[key] { readyCount -= 1 }
            entries[key] = .pending([])
            computations += 1
            let (value, ttl) = await compute()
            var waiters: [CheckedContinuation<Value, Never>] = []
            if case .pending(let list) = entries[key] { waiters = list }
            if ttl > 0 {
                useCounter += 1
                entries[key] = .ready(value, expires: now + ttl, lastUse: useCounter)
                readyCount += 1
                if readyCount > capacity { evict(now: now) }
            } else {
                entries[key] = nil
            }
            for waiter in waiters { waiter.resume(returning: value) }
            return value
        }
    }

    /// Expired values first, then the least recently used, down to 90 % of `capacity`.
    private func evict(now: Int64) {
        var ready: [(key: Key, expires: Int64, lastUse: UInt64)] = []
        ready.reserveCapacity(readyCount)
        for (key, entry) in entries {
            if case .ready(_, let expires, let lastUse) = entry { ready.append((key, expires, lastUse)) }
        }
        for item in ready where item.expires <= now { entries[item.key] = nil }
        var live = ready.filter { $0.expires > now }
        let target = capacity - capacity / 10
        if live.count > target {
            live.sort { $0.lastUse < $1.lastUse }
            for item in live.prefix(live.count - target) { entries[item.key] = nil }
            evictions += live.count - target
            live.removeFirst(live.count - target)
        }
        readyCount = live.count
    }

    func removeAll() {
        entries = entries.filter { if case .pending = $0.value { true } else { false } }
        readyCount = 0
    }

    /// The finished, unexpired value for `key`, if there is one; nothing is computed.
    func cached(_ key: Key, now: Int64) -> Value? {
        if case .ready(let value, let expires, _) = entries[key], expires > now { return value }
        return nil
    }

    /// Forgets a finished value (one being computed is left alone: others wait for it).
    func removeReady(_ key: Key) {
        if case .ready = entries[key] {
            entries[key] = nil
            readyCount -= 1
        }
    }

    var count: Int { entries.count }
}
