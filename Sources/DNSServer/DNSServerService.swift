import DNSTransport
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listener the service has bound: which transport, on which address.
public struct BoundListener: Sendable, Hashable, CustomStringConvertible {
    public var transport: Transport
    public var address: SocketAddress

    public var port: Int { address.port ?? 0 }
    public var description: String { "\(transport) \(address.ipAddress.map { address.protocol == .inet6 ? "[\($0)]" : $0 } ?? "?"):\(port)" }
}

/// The authoritative DNS server as a swift-service-lifecycle `Service`: UDP and TCP listeners
/// on each configured address, feeding a `DNSResponder` through thin handlers
/// (`DNSDatagramHandler`, `DNSStreamHandler`).
///
/// - Readiness: `boundListeners()` returns once every socket is bound (port 0 resolved, the
///   TCP listener on the same port as the UDP one), so tests await it instead of sleeping.
/// - Graceful shutdown: listeners close first, then open TCP connections; `run()` returns
///   when all are closed.
/// - TCP: at most `tcpConnectionLimit` connections, `tcpConnectionsPerClient` of them from one
///   IPv4 address or IPv6 /64; at the limit the connection idle the longest makes room for a
///   new one (`TCPConnectionTable` has the rules and RFC 7766 §6.2.3); each closed after
///   `tcpIdleTimeout` without a query; half-close honoured.
public final class DNSServerService: Service, Sendable {
    public struct Configuration: Sendable {
        public var listen: [ListenAddress]
        public var tcpConnectionLimit: Int
        public var tcpConnectionsPerClient: Int
        public var tcpIdleTimeout: Duration
        /// UDP sockets per address (SO_REUSEPORT), spread over the event loops. With more than
        /// one, give a fixed port: a port-0 bind with SO_REUSEPORT may be handed a port another
        /// SO_REUSEPORT socket of the same user holds (seen: 5,183 of 19,000 binds on Linux 6.18).
        public var udpSocketsPerAddress: Int

        public init(listen: [ListenAddress], tcpConnectionLimit: Int = 256, tcpConnectionsPerClient: Int = 64,
                    tcpIdleTimeout: Duration = .seconds(10), udpSocketsPerAddress: Int = 1) {
            self.listen = listen
            self.tcpConnectionLimit = tcpConnectionLimit
            self.tcpConnectionsPerClient = tcpConnectionsPerClient
            self.tcpIdleTimeout = tcpIdleTimeout
            self.udpSocketsPerAddress = max(1, udpSocketsPerAddress)
        }
    }

    public let configuration: Configuration
    private let responder: any DNSResponder
    private let group: any EventLoopGroup
    private let logger: Logger
    private let connections: TCPConnectionTable
    private let state = Mutex(State())

    private struct State {
        var ready: Result<[BoundListener], any Error>?
        var waiters: [CheckedContinuation<[BoundListener], any Error>] = []
    }

    public init(responder: any DNSResponder, configuration: Configuration,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "daneprobe.dns-server")) {
        self.responder = responder
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
        self.connections = TCPConnectionTable(limit: configuration.tcpConnectionLimit, perClientLimit: configuration.tcpConnectionsPerClient)
    }

    /// The listeners, once all are bound; throws the bind error if binding failed.
    public func boundListeners() async throws -> [BoundListener] {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<[BoundListener], any Error>? = state.withLock { state in
                if let ready = state.ready { return ready }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Open TCP connections now, and how many were evicted or refused (for tests of the limits).
    public var openTCPConnections: Int { connections.openConnections }
    public var tcpEvictions: Int { connections.evictions }
    public var tcpRefusals: Int { connections.refusals }

    public func run() async throws {
        var listeners: [any Channel] = []
        do {
            var bound: [BoundListener] = []
            for address in configuration.listen {
                let (channels, addresses) = try await bind(address)
                listeners += channels
                bound += addresses
            }
            for listener in bound {
                logger.info("listening", metadata: ["transport": "\(listener.transport)", "address": "\(listener)"])
            }
            setReady(.success(bound))
        } catch {
            setReady(.failure(error))
            for channel in listeners { try? await channel.close() }
            throw error
        }
        // Run until graceful shutdown (or cancellation), then close listeners and connections.
        try? await gracefulShutdown()
        logger.info("shutting down", metadata: ["listeners": "\(listeners.count)"])
        for channel in listeners { try? await channel.close() }
        let open = connections.channels
        for channel in open { try? await channel.close() }
        for channel in open { try? await channel.closeFuture.get() }
    }

    private func setReady(_ result: Result<[BoundListener], any Error>) {
        let waiters = state.withLock { state in
            state.ready = result
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    /// UDP first; with port 0 the TCP listener takes the port the kernel gave UDP (retried
    /// a few times should that TCP port be in use).
    private func bind(_ address: ListenAddress) async throws -> ([any Channel], [BoundListener]) {
        var lastError: (any Error)?
        for _ in 0..<(address.port == 0 ? 8 : 1) {
            var channels: [any Channel] = []
            do {
                let first = try await bindUDP(address.host, port: address.port, reusePort: configuration.udpSocketsPerAddress > 1)
                channels.append(first)
                let port = first.localAddress?.port ?? address.port
                for _ in 1..<configuration.udpSocketsPerAddress {
                    channels.append(try await bindUDP(address.host, port: port, reusePort: true))
                }
                let tcp = try await bindTCP(address.host, port: port)
                channels.append(tcp)
                var bound: [BoundListener] = []
                if let local = first.localAddress { bound.append(BoundListener(transport: .udp, address: local)) }
                if let local = tcp.localAddress { bound.append(BoundListener(transport: .tcp, address: local)) }
                return (channels, bound)
            } catch {
                lastError = error
                for channel in channels { try? await channel.close() }
            }
        }
        throw lastError ?? ChannelError.unknownLocalAddress
    }

    private func bindUDP(_ host: String, port: Int, reusePort: Bool) async throws -> any Channel {
        let responder = self.responder
        let logger = self.logger
        // No SO_REUSEADDR: on UDP it lets a second socket bind the same address and port, and
        // the kernel then hands port-0 binds ports such sockets hold (5,685 of 19,980 binds
        // here), so two servers silently split one address's queries. UDP has no TIME_WAIT to
        // need it for.
        var bootstrap = DatagramBootstrap(group: group.next())
            .channelOption(.maxMessagesPerRead, value: 16)
            // A vector read splits the receive buffer among its 16 messages: the default
            // 2,048 bytes left 128 per query, and longer queries arrived cut short (FORMERR).
            // Room for 16 of the largest datagrams; 1 MiB of socket buffer for bursts.
            .channelOption(.datagramVectorReadMessageCount, value: 16)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 65_536))
            .channelOption(.socketOption(.so_rcvbuf), value: 1 << 20)
        if reusePort { bootstrap = bootstrap.channelOption(.socket(SocketOptionLevel(SOL_SOCKET), SocketOptionName(SO_REUSEPORT)), value: 1) }
        return try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSDatagramHandler(responder: responder, logger: logger))
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    private func bindTCP(_ host: String, port: Int) async throws -> any Channel {
        let responder = self.responder
        let logger = self.logger
        let connections = self.connections
        let idle = configuration.tcpIdleTimeout.timeAmount
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                let slot: TCPConnectionSlot
                switch connections.admit(channel, now: channel.eventLoop.now) {
                case .admitted(let admitted, let evicted):
                    slot = admitted
                    if let evicted {
                        logger.debug("tcp connections full, closed the one idle the longest", metadata: ["evicted": "\(evicted.client)"])
                    }
                case .refusedClientLimit:
                    logger.debug("tcp connections per client reached, closing", metadata: ["client": "\(TCPClientKey(channel.remoteAddress))"])
                    return channel.close()
                case .refusedAllBusy:
                    logger.debug("tcp connections full and all busy, closing", metadata: ["client": "\(TCPClientKey(channel.remoteAddress))"])
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connections.release(slot) }
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try sync.addHandler(MessageToByteHandler(DNSTCPFrameEncoder()))
                    try sync.addHandler(DNSStreamHandler(responder: responder, idleTimeout: idle, slot: slot, logger: logger))
                }
            }
            .bind(host: host, port: port)
            .get()
    }
}
