import DNSCore
import NIOCore
import NIOPosix

/// `DNSExchange` over SwiftNIO: one UDP socket per query on a source port drawn from
/// `randomness` (RFC 5452 §9.2), a fresh random ID per attempt, the EDNS payload size of the
/// options, TC=1 → the same query over TCP (RFC 7766 §5), a timeout per attempt and `retries`
/// more UDP attempts. Each exchange is a few futures on one event loop, so thousands can be in
/// flight on one event loop group (bounded by the process's file descriptors).
///
/// The query's ID is replaced; the answer returned carries the ID that was sent.
public final class NIODNSExchange: DNSExchange {
    private let group: any EventLoopGroup
    private let randomness: any QueryRandomness
    public let addressMap: DNSAddressMap

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                randomness: any QueryRandomness = SystemQueryRandomness(), addressMap: DNSAddressMap = .identity) {
        self.group = group
        self.randomness = randomness
        self.addressMap = addressMap
    }

    public func exchange(_ query: Message, with server: DNSServerAddress, options: DNSExchangeOptions) async throws(DNSExchangeError) -> Message {
        var query = query
        if var edns = query.edns {
            edns.udpPayloadSize = options.udpPayloadSize
            query.edns = edns
        }
        let target = try addressMap.map(server).socketAddress()
        if !options.tcpOnly {
            var truncated = false
            for _ in 0...options.retries {
                query.header.id = UInt16(truncatingIfNeeded: randomness.next())
                do {
                    let answer = try await udp(query, to: target, timeout: options.attemptTimeout)
                    if !answer.header.isTruncated { return answer }
                    truncated = true
                    break
                } catch where error.code == .timeout {
                    continue
                }
            }
            guard truncated else {
                throw DNSExchangeError(.timeout, "no answer from \(server) within \(options.attemptTimeout), \(options.retries + 1) attempts")
            }
        }
        query.header.id = UInt16(truncatingIfNeeded: randomness.next())
        let answer = try await tcp(query, to: target, timeout: options.attemptTimeout)
        if answer.header.isTruncated { throw DNSExchangeError(.truncated, "\(server) set TC over TCP") }
        return answer
    }

    private func udp(_ query: Message, to target: SocketAddress, timeout: Duration) async throws(DNSExchangeError) -> Message {
        let loop = group.next()
        let promise = loop.makePromise(of: Message.self)
        let maxSize = max(512, Int(query.edns?.udpPayloadSize ?? 512))
        let channel: any Channel
        do {
            channel = try await bindUDP(on: loop, family: target.protocol, promise: promise, query: query, target: target, maxSize: maxSize)
        } catch {
            promise.fail(error)  // never leave a promise unfulfilled
            throw error
        }
        let timer = loop.scheduleTask(in: timeout.timeAmount) {
            promise.fail(DNSExchangeError(.timeout, "no answer within \(timeout)"))
        }
        var buffer = channel.allocator.buffer(capacity: 512)
        buffer.writeBytes(query.wire)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer)).cascadeFailure(to: promise)
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await Self.wait(promise.futureResult)
    }

    /// Binds a UDP socket on a random port (a few tries, then any port the kernel picks).
    private func bindUDP(on loop: any EventLoop, family: NIOBSDSocket.ProtocolFamily, promise: EventLoopPromise<Message>,
                         query: Message, target: SocketAddress, maxSize: Int) async throws(DNSExchangeError) -> any Channel {
        let host = family == .inet6 ? "::" : "0.0.0.0"
        let bootstrap = DatagramBootstrap(group: loop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPAnswerHandler(query: query, target: target, maxSize: maxSize, promise: promise))
                }
            }
        var lastError: any Error = ChannelError.unknownLocalAddress
        for attempt in 0..<4 {
            let port = attempt == 3 ? 0 : 1024 + Int(randomness.next() % UInt64(65_536 - 1024))
            do { return try await bootstrap.bind(host: host, port: port).get() } catch { lastError = error }
        }
        throw DNSExchangeError(.networkError, "cannot bind a UDP socket: \(lastError)")
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

/// Completes the promise with the first datagram from the server that matches the query;
/// others are ignored (RFC 5452 §4.3).
final class UDPAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let query: Message
    let target: SocketAddress
    let maxSize: Int
    let promise: EventLoopPromise<Message>

    init(query: Message, target: SocketAddress, maxSize: Int, promise: EventLoopPromise<Message>) {
        self.query = query
        self.target = target
        self.maxSize = maxSize
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress.ipAddress == target.ipAddress, envelope.remoteAddress.port == target.port else { return }
        switch ResponseMatcher.match(Array(envelope.data.readableBytesView), to: query, maxSize: maxSize) {
        case .accepted(let message): promise.succeed(message)
        case .ignored: return
        case .rejected(let error): promise.fail(error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(DNSExchangeError(.networkError, "UDP: \(error)"))
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
