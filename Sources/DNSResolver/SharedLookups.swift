/// Values computed once per key and shared: concurrent callers asking for a key being computed
/// wait for that computation (a continuation list) instead of starting their own, and finished
/// values are kept until their expiry. The computation runs in the first caller's task, so no
/// unstructured task is ever created.
actor SharedLookups<Key: Hashable & Sendable, Value: Sendable> {
    private enum Entry {
        case pending([CheckedContinuation<Value, Never>])
        case ready(Value, expires: Int64)
    }

    private var entries: [Key: Entry] = [:]
    /// How many computations ran (tests check de-duplication with it).
    private(set) var computations = 0

    /// The cached or shared value for `key`, else `compute()`'s, kept for the TTL it returns
    /// (0: not kept, but still shared with those already waiting).
    func value(for key: Key, now: Int64, compute: @Sendable () async -> (Value, ttl: Int64)) async -> Value {
        switch entries[key] {
        case .ready(let value, let expires) where expires > now:
            return value
        case .pending:
            return await withCheckedContinuation { continuation in
                if case .pending(var waiters) = entries[key] {
                    waiters.append(continuation)
                    entries[key] = .pending(waiters)
                }
            }
        case .ready, nil:
            entries[key] = .pending([])
            computations += 1
            let (value, ttl) = await compute()
            var waiters: [CheckedContinuation<Value, Never>] = []
            if case .pending(let list) = entries[key] { waiters = list }
            entries[key] = ttl > 0 ? .ready(value, expires: now + ttl) : nil
            for waiter in waiters { waiter.resume(returning: value) }
            return value
        }
    }

    func removeAll() { entries = [:] }

    /// Forgets a finished value (one being computed is left alone: others wait for it).
    func removeReady(_ key: Key) {
        if case .ready = entries[key] { entries[key] = nil }
    }

    var count: Int { entries.count }
}
