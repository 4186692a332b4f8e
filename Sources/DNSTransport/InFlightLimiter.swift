import NIOCore
import Synchronization

/// At most `limit` queries outstanding towards one server; the rest wait their turn in
/// order. Spares an authoritative server bursts larger than its socket buffer holds (a
/// burst it drops costs every query in it a retransmission timeout), and keeps one
/// resolver from flooding a server with its whole concurrency.
final class InFlightLimiter: Sendable {
    private struct Server {
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let servers: Mutex<[SocketAddress: Server]>
    let limit: Int

    init(limit: Int) {
        servers = Mutex([:])
        self.limit = max(1, limit)
    }

    func acquire(_ server: SocketAddress) async {
        let admitted = servers.withLock { all in
            var state = all[server] ?? Server()
            guard state.inFlight >= limit else {
                state.inFlight += 1
                all[server] = state
                return true
            }
            return false
        }
        if admitted { return }
        await withCheckedContinuation { continuation in
            let admittedNow = servers.withLock { all in
                var state = all[server] ?? Server()
                if state.inFlight < limit {
                    state.inFlight += 1
                    all[server] = state
                    return true
                }
                state.waiters.append(continuation)
                all[server] = state
                return false
            }
            if admittedNow { continuation.resume() }
        }
    }

    /// Hands the slot to the longest waiting query, or frees it.
    func release(_ server: SocketAddress) {
        let next = servers.withLock { all -> CheckedContinuation<Void, Never>? in
            guard var state = all[server] else { return nil }
            if state.head < state.waiters.count {
                let waiter = state.waiters[state.head]
                state.head += 1
                if state.head == state.waiters.count {
                    state.waiters.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                all[server] = state
                return waiter
            }
            state.inFlight -= 1
            if state.inFlight == 0 { all[server] = nil } else { all[server] = state }
            return nil
        }
        next?.resume()
    }
}
