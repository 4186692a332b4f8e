import DNSCore
import NIOCore
import NIOPosix

/// `DNSExchange` over SwiftNIO: UDP from a pool of long-lived sockets on random source ports
/// (`UDPSocketPool`, RFC 5452 §9.2), a fresh random ID per attempt, answers demultiplexed by
/// ID, source and question (`UDPDemultiplexer`), the EDNS payload size of the options, TC=1 →
/// the same query over TCP on a connection of its own (RFC 7766 §5), a timeout per attempt
/// and `retries` more UDP attempts. Thousands of exchanges can be in flight on one event loop
/// group.
///
/// The query's ID is replaced; the answer returned carries the ID that was sent.
public final class NIODNSExchange: DNSExchange {
    /// The handler type each UDP socket of the pool has in its pipeline (TCP fallbacks add
    /// their own, rarely). `MailProbe.prepareRuntime()` pays its first-use costs ahead.
    public static var channelHandlerTypes: [any ChannelHandler.Type] { [UDPDemultiplexer.self] }

    private let group: any EventLoopGroup
    private let randomness: any QueryRandomness
    private let pool: UDPSocketPool
    private let roundTrips = RoundTripTable()
    private let limiter: InFlightLimiter
    public let addressMap: DNSAddressMap

    /// - Parameters:
    ///   - socketPoolSize: UDP sockets per address family that queries are spread over.
    ///   - queriesPerSocket: queries a socket sends before it is replaced by one on a new
    ///     random port.
    ///   - maxInFlightPerServer: UDP queries outstanding towards one server at most; more
    ///     wait their turn.
    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                randomness: any QueryRandomness = SystemQueryRandomness(), addressMap: DNSAddressMap = .identity,
                socketPoolSize: Int = 32, queriesPerSocket: Int = 256, maxInFlightPerServer: Int = 100) {
        self.group = group
        self.randomness = randomness
        self.addressMap = addressMap
        self.limiter = InFlightLimiter(limit: maxInFlightPerServer)
        self.pool = UDPSocketPool(group: group, randomness: randomness, size: socketPoolSize, queriesPerSocket: queriesPerSocket)
    }

    public func exchange(_ query: Message, with server: DNSServerAddress, options: DNSExchangeOptions) async throws(DNSExchangeError) -> Message {
        var query = query
        if var edns = query.edns {
            edns.udpPayloadSize = options.udpPayloadSize
            query.edns = edns
        }
        let target = try addressMap.map(server).socketAddress()
        if !options.tcpOnly {
            // The time budget is the options' ((retries + 1) × attemptTimeout), spent in
            // attempts that start at the server's retransmission timeout and double (RFC 1035
            // §4.2.1, RFC 6298 §5.5): a lost datagram costs a few round trips, not a whole
            // attemptTimeout, and a slow server still gets the full attemptTimeout at the end.
            let budget = options.attemptTimeout * (options.retries + 1)
            var spent: Duration = .zero
            var wait = roundTrips.timeout(for: target).timeout(cap: options.attemptTimeout)
            var attempts = 0
            var truncated = false
            while spent < budget {
                let attempt = min(wait, budget - spent)
                attempts += 1
                await limiter.acquire(target)
                defer { limiter.release(target) }
                let start = ContinuousClock.now
                do {
                    let answer = try await udp(query, to: target, timeout: attempt)
                    roundTrips.record(ContinuousClock.now - start, for: target)
                    if !answer.header.isTruncated { return answer }
                    truncated = true
                    break
                } catch where error.code == .timeout {
                    spent += attempt
                    wait = min(options.attemptTimeout, wait * 2)
                    continue
                }
            }
            guard truncated else {
                throw DNSExchangeError(.timeout, "no answer from \(server) within \(budget), \(attempts) attempts")
            }
        }
        query.header.id = UInt16(truncatingIfNeeded: randomness.next())
        let answer = try await tcp(query, to: target, timeout: options.attemptTimeout)
        if answer.header.isTruncated { throw DNSExchangeError(.truncated, "\(server) set TC over TCP") }
        return answer
    }

    /// Binds the UDP sockets that queries to `server` will use (every slot of the pool for its
    /// address family) now, without waiting, so the first queries need not bind their own.
    /// For a caller that knows its upstream before it has a question: `check` warms its pool
    /// while it reads its trust anchors and makes its TLS context.
    public func warm(for server: DNSServerAddress) {
        guard let target = try? addressMap.map(server).socketAddress() else { return }
        pool.warm(family: target.protocol)
    }

    /// The local ports of the UDP sockets of `family` this exchange keeps (tests).
    package func localPorts(family: NIOBSDSocket.ProtocolFamily) async -> [Int] {
        await pool.localPorts(family: family)
    }

    /// Closes the UDP sockets this exchange keeps and waits until they are closed. Call it
    /// before shutting down an event loop group of your own that it runs on; exchanges after
    /// it bind new sockets.
    public func close() async {
        await pool.closeAll()
    }

    private func udp(_ query: Message, to target: SocketAddress, timeout: Duration) async throws(DNSExchangeError) -> Message {
        let family = target.protocol
        let socket = pool.reserve(family: family)
        defer { socket.release() }
        let channel: any Channel
        do { channel = try await socket.channel.get() } catch {
            pool.discard(socket, family: family)
            throw DNSExchangeError(.networkError, "cannot bind a UDP socket: \(error)")
        }
        guard channel.isActive else {
            pool.discard(socket, family: family)
            throw DNSExchangeError(.networkError, "UDP socket closed")
        }
        let randomness = self.randomness
        let answer = channel.eventLoop.flatSubmit { () -> EventLoopFuture<Message> in
            do {
                let demultiplexer = try channel.pipeline.syncOperations.handler(type: UDPDemultiplexer.self)
                return demultiplexer.send(query, to: target, timeout: timeout, randomness: randomness, eventLoop: channel.eventLoop)
            } catch {
                return channel.eventLoop.makeFailedFuture(DNSExchangeError(.networkError, "UDP socket has no demultiplexer: \(error)"))
            }
        }
        return try await Self.wait(answer)
    }

    private func tcp(_ query: Message, to target: SocketAddress, timeout: Duration) async throws(DNSExchangeError) -> Message {
        let loop = group.next()
        let promise = loop.makePromise(of: Message.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout.timeAmount)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                        try sync.addHandler(MessageToByteHandler(DNSTCPFrameEncoder()))
                        try sync.addHandler(TCPAnswerHandler(query: query, promise: promise))
                    }
                }
                .connect(to: target)
                .get()
        } catch {
            let failure = DNSExchangeError(.networkError, "TCP connection to \(target) failed: \(error)")
            promise.fail(failure)  // never leave a promise unfulfilled
            throw failure
        }
        let timer = loop.scheduleTask(in: timeout.timeAmount) {
            promise.fail(DNSExchangeError(.timeout, "no TCP answer within \(timeout)"))
        }
        var buffer = channel.allocator.buffer(capacity: 512)
        buffer.writeBytes(query.wire)
        channel.writeAndFlush(buffer).cascadeFailure(to: promise)
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await Self.wait(promise.futureResult)
    }

    private static func wait(_ future: EventLoopFuture<Message>) async throws(DNSExchangeError) -> Message {
        do { return try await future.get() } catch let error as DNSExchangeError { throw error } catch {
            throw DNSExchangeError(.networkError, "\(error)")
        }
    }
}

/// Completes the promise with the first TCP frame that matches the query.
final class TCPAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let query: Message
    let promise: EventLoopPromise<Message>

    init(query: Message, promise: EventLoopPromise<Message>) {
        self.query = query
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch ResponseMatcher.match(Array(frame.readableBytesView), to: query, maxSize: nil) {
        case .accepted(let message): promise.succeed(message)
        case .ignored: return
        case .rejected(let error): promise.fail(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSExchangeError(.networkError, "TCP connection closed before an answer"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(DNSExchangeError(.networkError, "TCP: \(error)"))
        context.close(promise: nil)
    }
}
