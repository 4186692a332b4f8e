import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SMTPCore
import ServiceLifecycle
import Synchronization

/// A receiving ESMTP server (STARTTLS, PIPELINING, SIZE, 8BITMIME) on the given addresses, as
/// a swift-service-lifecycle `Service`: `run()` binds, serves until graceful shutdown or
/// cancellation, then closes. Readiness is the bound addresses (`boundAddresses`), never a sleep;
/// bind port 0 in tests. Every accepted message is kept in `store` with its TLS facts.
public final class SMTPServerService: Service, Sendable {
    public struct Configuration: Sendable {
        public var addresses: [SocketAddress]
        public var session: SMTPServerStateMachine.Configuration
        /// The server's certificate chain and key; nil offers no STARTTLS.
        public var tlsConfiguration: TLSConfiguration?
        /// Octets per command line, without CRLF (RFC 5321 §4.5.3.1.4: at least 512).
        public var maxLineLength: Int
        /// Sessions at once; one more is answered 421 and closed.
        public var maxConnections: Int
        /// Sessions at once from one client IP address, so that one abusive host cannot take
        /// every slot from the others.
        public var maxConnectionsPerAddress: Int
        /// The longest wait for the next complete line (command or message line); bytes of an
        /// unfinished line do not re-arm it (slowloris).
        public var idleTimeout: Duration
        /// The longest session, however active (a client trickling complete NOOPs).
        public var sessionTimeout: Duration

        public init(addresses: [SocketAddress], session: SMTPServerStateMachine.Configuration, tlsConfiguration: TLSConfiguration?, maxLineLength: Int = 4096, maxConnections: Int = 64, maxConnectionsPerAddress: Int = 16, idleTimeout: Duration = .seconds(300), sessionTimeout: Duration = .seconds(600)) {
            self.addresses = addresses
            self.session = session
            self.tlsConfiguration = tlsConfiguration
            self.maxLineLength = maxLineLength
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.idleTimeout = idleTimeout
            self.sessionTimeout = sessionTimeout
        }

        /// A server TLS configuration from PEM files, accepting (and recording) any client
        /// certificate but not requiring one.
        public static func tls(certificateChainPEM: String, privateKeyPEM: String) throws -> TLSConfiguration {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateChainPEM).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: privateKeyPEM, format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            tls.certificateVerification = .none
            return tls
        }
    }

    public let configuration: Configuration
    public let store: SMTPMessageStore
    private let group: any EventLoopGroup
    private let logger: Logger
    private let ready: EventLoopPromise<[SocketAddress]>
    /// Open client connections, closed on shutdown.
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

    public init(configuration: Configuration, store: SMTPMessageStore = SMTPMessageStore(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "daneprobe.smtp.server")) {
        self.configuration = configuration
        self.store = store
        self.group = group
        self.logger = logger
        ready = group.next().makePromise(of: [SocketAddress].self)
    }

    /// The addresses actually bound (port 0 resolved), once `run()` has bound them all.
    public var boundAddresses: [SocketAddress] {
        get async throws { try await ready.futureResult.get() }
    }

    public func run() async throws {
        let tlsContext: NIOSSLContext?
        let channels: [any Channel]
        do {
            tlsContext = try configuration.tlsConfiguration.map { try NIOSSLContext(configuration: $0) }
            var bound: [any Channel] = []
            for address in configuration.addresses {
                bound.append(try await bootstrap(tlsContext: tlsContext).bind(to: address).get())
            }
            channels = bound
        } catch {
            ready.fail(error)
            throw error
        }
        let addresses = channels.compactMap(\.localAddress)
        logger.info("SMTP server listening", metadata: ["addresses": "\(addresses.map(SMTPProbe.describe))"])
        ready.succeed(addresses)
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                for channel in channels { try? await channel.closeFuture.get() }
            } onCancel: {
                for channel in channels { channel.close(promise: nil) }
            }
        } onGracefulShutdown: {
            for channel in channels { channel.close(promise: nil) }
        }
        // The listeners are closed; end the sessions still open.
        let open = connections.withLock { Array($0.values) }
        for channel in open { try? await channel.close() }
        logger.info("SMTP server stopped", metadata: ["sessions closed": "\(open.count)"])
    }

    private func bootstrap(tlsContext: NIOSSLContext?) -> ServerBootstrap {
        let configuration = configuration
        let store = store
        let logger = logger
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                let key = ObjectIdentifier(channel)
                let ip = channel.remoteAddress?.ipAddress
                let admitted = connections.withLock { open in
                    guard open.count < configuration.maxConnections else { return false }
                    if let ip, open.values.count(where: { $0.remoteAddress?.ipAddress == ip }) >= configuration.maxConnectionsPerAddress {
                        return false
                    }
                    open[key] = channel
                    return true
                }
                guard admitted else {
                    logger.warning("SMTP connection refused: too many connections", metadata: ["ip": "\(ip ?? "?")"])
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SMTPRefusingHandler())
                    }
                }
                channel.closeFuture.whenComplete { [self] _ in _ = connections.withLock { $0.removeValue(forKey: key) } }
                var sessionLogger = logger
                sessionLogger[metadataKey: "ip"] = "\(channel.remoteAddress.map(SMTPProbe.describe) ?? "?")"
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SMTPServerHandler(
                        configuration: configuration.session, maxLineLength: configuration.maxLineLength,
                        tlsContext: tlsContext, store: store, idleTimeout: configuration.idleTimeout,
                        sessionTimeout: configuration.sessionTimeout, logger: sessionLogger
                    ))
                }
            }
    }
}

/// Answers a connection over the limit with 421 and closes it (RFC 5321 §3.8, §4.2.3).
final class SMTPRefusingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        let reply = SMTPReply(code: .serviceNotAvailable, "4.7.0 Error: too many connections")
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.wire))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
