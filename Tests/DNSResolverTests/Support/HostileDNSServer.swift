import DNSCore
import DNSTransport
import NIOCore
import NIOPosix
import Synchronization

/// What the hostile server sends for one query: over UDP each chunk is one datagram; over TCP
/// the chunks are written as they are, unframed (so a test can lie in the length prefix or
/// stop half-way), then the connection is closed or left hanging.
struct HostileReply: Sendable {
    var chunks: [[UInt8]]
    /// TCP: close once written; otherwise keep the connection open, saying nothing more.
    var closeAfter: Bool

    static let silence = HostileReply(chunks: [], closeAfter: false)

    static func datagrams(_ datagrams: [[UInt8]]) -> HostileReply { HostileReply(chunks: datagrams, closeAfter: false) }

    static func message(_ message: Message) -> HostileReply { HostileReply(chunks: [message.wire], closeAfter: false) }

    /// Over TCP: each message with its two-octet length (RFC 1035 §4.2.2).
    static func framed(_ messages: [[UInt8]], closeAfter: Bool = false) -> HostileReply {
        HostileReply(chunks: messages.map { [UInt8($0.count >> 8 & 0xFF), UInt8($0.count & 0xFF)] + $0 }, closeAfter: closeAfter)
    }
}

/// One query as the hostile server saw it.
struct HostileQuery: Sendable {
    var transport: Transport
    /// Nil when the bytes are not a DNS message.
    var message: Message?
    var raw: [UInt8]

    var question: Question? { message?.questions.first }
}

/// A test-only DNS peer that breaks the rules on purpose (issue 10): on 127.0.0.1, UDP and TCP
/// on one port chosen by the kernel, every query handed to a behaviour closure that returns raw
/// bytes. Nothing is framed, checked or answered for the behaviour: it decides IDs, questions,
/// truncation, length prefixes and silence. Counts what it was asked, so tests can bound the
/// queries a resolver sends.
final class HostileDNSServer: Sendable {
    typealias Behaviour = @Sendable (HostileQuery) -> HostileReply

    let port: Int
    private let log = Mutex<[HostileQuery]>([])
    private let channels: [any Channel]

    private init(port: Int, channels: [any Channel]) {
        self.port = port
        self.channels = channels
    }

    var queries: [HostileQuery] { log.withLock { $0 } }
    var queryCount: Int { log.withLock { $0.count } }
    func resetCount() { log.withLock { $0 = [] } }

    var address: DNSServerAddress { DNSServerAddress(host: "127.0.0.1", port: port) }

    fileprivate func record(_ query: HostileQuery) { log.withLock { $0.append(query) } }

    /// Starts a server for `behaviour`, runs `body`, closes the server.
    static func run<T: Sendable>(_ behaviour: @escaping Behaviour, _ body: (HostileDNSServer) async throws -> T) async throws -> T {
        let server = try await start(behaviour)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    static func start(_ behaviour: @escaping Behaviour) async throws -> HostileDNSServer {
        let group = MultiThreadedEventLoopGroup.singleton
        let holder = ServerHolder()
        var lastError: (any Error)?
        for _ in 0..<8 {
            let udp = try await DatagramBootstrap(group: group.next())
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HostileDatagramHandler(behaviour: behaviour, holder: holder))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            let port = udp.localAddress?.port ?? 0
            do {
                let tcp = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(HostileStreamHandler(behaviour: behaviour, holder: holder))
                        }
                    }
                    .bind(host: "127.0.0.1", port: port).get()
                let server = HostileDNSServer(port: port, channels: [udp, tcp])
                holder.server.withLock { $0 = server }
                return server
            } catch {
                lastError = error
                try? await udp.close()
            }
        }
        throw lastError ?? ChannelError.unknownLocalAddress
    }

    func stop() async {
        for channel in channels { try? await channel.close() }
    }
}

/// Lets the handlers reach the server's log before `start` returns it.
final class ServerHolder: Sendable {
    let server = Mutex<HostileDNSServer?>(nil)

    func record(_ query: HostileQuery) { server.withLock { $0 }?.record(query) }
}

final class HostileDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let behaviour: HostileDNSServer.Behaviour
    let holder: ServerHolder

    init(behaviour: @escaping HostileDNSServer.Behaviour, holder: ServerHolder) {
        self.behaviour = behaviour
        self.holder = holder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let raw = Array(envelope.data.readableBytesView)
        let query = HostileQuery(transport: .udp, message: try? Message(wire: raw), raw: raw)
        holder.record(query)
        for datagram in behaviour(query).chunks {
            let buffer = context.channel.allocator.buffer(bytes: datagram)
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
        }
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}

final class HostileStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let behaviour: HostileDNSServer.Behaviour
    let holder: ServerHolder
    private var pending: [UInt8] = []

    init(behaviour: @escaping HostileDNSServer.Behaviour, holder: ServerHolder) {
        self.behaviour = behaviour
        self.holder = holder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending += unwrapInboundIn(data).readableBytesView
        while pending.count >= 2 {
            let length = Int(pending[0]) << 8 | Int(pending[1])
            guard pending.count >= 2 + length else { return }
            let raw = Array(pending[2..<(2 + length)])
            pending.removeFirst(2 + length)
            let query = HostileQuery(transport: .tcp, message: try? Message(wire: raw), raw: raw)
            holder.record(query)
            let reply = behaviour(query)
            for chunk in reply.chunks {
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: chunk)), promise: nil)
            }
            context.flush()
            if reply.closeAfter {
                context.close(promise: nil)
                return
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension Message {
    /// A response to `query` (same ID and question, QR and AA set) with these sections.
    static func reply(to query: Message, rcode: RCode = .noError, authoritative: Bool = true, answers: [ResourceRecord] = [],
                      authority: [ResourceRecord] = [], additional: [ResourceRecord] = []) -> Message {
        var header = MessageHeader(id: query.header.id, isResponse: true)
        header.isAuthoritative = authoritative
        header.rcode = rcode
        var response = Message(header: header, questions: query.questions)
        response.answers = answers
        response.authority = authority
        response.additional = additional
        return response
    }
}
