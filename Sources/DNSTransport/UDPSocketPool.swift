import NIOCore
import NIOPosix
import Synchronization

/// Long-lived UDP sockets shared by all of an exchange's queries, so a query costs one
/// datagram, not a socket bound, registered and closed. Source-port randomness (RFC 5452
/// §9.2) is kept across the pool: each socket is bound to a port drawn from the injected
/// randomness, each query goes out on a socket picked at random among `size`, and a socket
/// is retired after `queriesPerSocket` queries (closed once its last answer is in) and
/// replaced by one on a fresh random port. With the 16-bit random ID that is about 21 bits
/// an off-path attacker must guess per query at any moment, and the ports keep moving.
final class UDPSocketPool: Sendable {
    /// One socket of the pool and how many exchanges use it.
    final class Socket: Sendable {
        let channel: EventLoopFuture<any Channel>
        private let state = Mutex(State())

        struct State {
            var uses = 0
            var inFlight = 0
            var retired = false
        }

        init(channel: EventLoopFuture<any Channel>) { self.channel = channel }

        /// Counts one more exchange; true when the socket has served its quota.
        func reserve(quota: Int) -> Bool {
            state.withLock { state in
                state.uses += 1
                state.inFlight += 1
                return state.uses >= quota
            }
        }

        func retire() {
            let idle = state.withLock { state in
                state.retired = true
                return state.inFlight == 0
            }
            if idle { close() }
        }

        /// One exchange done; the last one on a retired socket closes it.
        func release() {
            let done = state.withLock { state in
                state.inFlight -= 1
                return state.retired && state.inFlight == 0
            }
            if done { close() }
        }

        private func close() {
            channel.whenSuccess { $0.close(promise: nil) }
        }

        /// Closes the socket now, whatever is in flight (those exchanges fail), and waits.
        func closeNow() async {
            state.withLock { $0.retired = true }
            guard let channel = try? await channel.get() else { return }
            try? await channel.close()
        }
    }

    private let group: any EventLoopGroup
    private let randomness: any QueryRandomness
    private let size: Int
    private let queriesPerSocket: Int
    private let sockets: Mutex<[NIOBSDSocket.ProtocolFamily: [Socket?]]>

    init(group: any EventLoopGroup, randomness: any QueryRandomness, size: Int, queriesPerSocket: Int) {
        self.group = group
        self.randomness = randomness
        self.size = max(1, size)
        self.queriesPerSocket = max(1, queriesPerSocket)
        self.sockets = Mutex([:])
    }

    deinit {
        sockets.withLock { all in
            for slots in all.values { for socket in slots { socket?.retire() } }
        }
    }

    /// A socket of the family for one exchange, picked at random; the caller must
    /// `release()` it when the exchange is over.
    func reserve(family: NIOBSDSocket.ProtocolFamily) -> Socket {
        let index = Int(randomness.next() % UInt64(size))
        let (socket, retired) = sockets.withLock { all -> (Socket, Socket?) in
            var slots = all[family] ?? Array(repeating: nil, count: size)
            let socket = slots[index] ?? bind(family)
            var retired: Socket?
            if socket.reserve(quota: queriesPerSocket) {
                retired = socket
                slots[index] = bind(family)
            } else {
                slots[index] = socket
            }
            all[family] = slots
            return (socket, retired)
        }
        retired?.retire()
        return socket
    }

    /// Binds every empty slot of `family` now, each on its own event loop (the socket is made
    /// there too, not on the caller's thread), without waiting: the first queries then find
    /// their sockets bound, where each would otherwise wait for a bind of its own — about a
    /// third of a millisecond per query for a one-domain `check`.
    func warm(family: NIOBSDSocket.ProtocolFamily) {
        sockets.withLock { all in
            var slots = all[family] ?? Array(repeating: nil, count: size)
            for index in slots.indices where slots[index] == nil { slots[index] = bind(family) }
            all[family] = slots
        }
    }

    /// The local ports of the sockets of `family` in the pool (tests), once bound.
    package func localPorts(family: NIOBSDSocket.ProtocolFamily) async -> [Int] {
        let open = sockets.withLock { $0[family]?.compactMap { $0 } ?? [] }
        var ports: [Int] = []
        for socket in open {
            if let port = try? await socket.channel.get().localAddress?.port { ports.append(port) }
        }
        return ports
    }

    /// Closes every socket of the pool and waits until they are closed; a later exchange
    /// binds new ones. For an owner that shuts its event loop group down after: a socket
    /// still open then would be closed on a loop that is gone.
    func closeAll() async {
        let open = sockets.withLock { all -> [Socket] in
            defer { all.removeAll() }
            return all.values.flatMap { $0.compactMap { $0 } }
        }
        for socket in open { await socket.closeNow() }
    }

    /// Takes a socket that failed (its bind, or it closed) out of the pool.
    func discard(_ socket: Socket, family: NIOBSDSocket.ProtocolFamily) {
        sockets.withLock { all in
            guard var slots = all[family], let index = slots.firstIndex(where: { $0 === socket }) else { return }
            slots[index] = nil
            all[family] = slots
        }
        socket.retire()
    }

    /// Binds a socket on a random port above 1023 (a few tries, then any port the kernel
    /// picks), on the next event loop of the group; the socket is made on that loop, so the
    /// caller (a query's task) does not wait for it.
    private func bind(_ family: NIOBSDSocket.ProtocolFamily) -> Socket {
        let loop = group.next()
        let randomness = randomness
        return Socket(channel: loop.flatSubmit { Self.bind(host: family == .inet6 ? "::" : "0.0.0.0", on: loop, randomness: randomness, attempt: 0) })
    }

    private static func bind(host: String, on loop: any EventLoop, randomness: any QueryRandomness, attempt: Int) -> EventLoopFuture<any Channel> {
        let port = attempt == 3 ? 0 : 1024 + Int(randomness.next() % UInt64(65_536 - 1024))
        // An address built from the literal: binding by host string would read the
        // interface list for every socket.
        let local: SocketAddress
        do { local = try SocketAddress(ipAddress: host, port: port) } catch { return loop.makeFailedFuture(error) }
        return DatagramBootstrap(group: loop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelOption(.maxMessagesPerRead, value: 16)
            // Shared by many exchanges: room for a burst of answers (the kernel caps it at rmem_max).
            .channelOption(.socketOption(.so_rcvbuf), value: 1 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPDemultiplexer())
                }
            }
            .bind(to: local)
            .flatMapError { error in
                attempt < 3 ? bind(host: host, on: loop, randomness: randomness, attempt: attempt + 1) : loop.makeFailedFuture(error)
            }
    }
}
