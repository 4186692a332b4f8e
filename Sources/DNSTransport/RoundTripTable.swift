import NIOCore
import Synchronization

/// Each server's `RetransmissionTimeout`, shared by an exchange's concurrent queries;
/// forgotten wholesale past `capacity` servers, so memory stays bounded in a long scan.
final class RoundTripTable: Sendable {
    private let entries: Mutex<[SocketAddress: RetransmissionTimeout]>
    private let capacity: Int

    init(capacity: Int = 10_000) {
        entries = Mutex([:])
        self.capacity = capacity
    }

    func timeout(for server: SocketAddress) -> RetransmissionTimeout {
        entries.withLock { $0[server] ?? RetransmissionTimeout() }
    }

    func record(_ sample: Duration, for server: SocketAddress) {
        entries.withLock { all in
            if all.count >= capacity, all[server] == nil { all.removeAll(keepingCapacity: true) }
            all[server, default: RetransmissionTimeout()].record(sample)
        }
    }
}
