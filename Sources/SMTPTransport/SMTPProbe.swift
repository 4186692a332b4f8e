import NIOCore
import NIOPosix
import NIOSSL
import SMTPCore

/// A client SMTP session to one address: greeting, EHLO (HELO fallback), STARTTLS with SNI,
/// EHLO again, optionally one delivery, QUIT — and everything observed on the way.
public enum SMTPProbe {
    /// The handler types a client session adds to its channel's pipeline: the SMTP client,
    /// and at STARTTLS the TLS handler and the hello observer in front of it.
    /// `MailProbe.prepareRuntime()` pays their first-use costs ahead.
    public static var channelHandlerTypes: [any ChannelHandler.Type] { [SMTPClientHandler.self, NIOSSLClientHandler.self, TLSHelloObserver.self] }

    public struct Configuration: Sendable {
        public var session: SMTPClientStateMachine.Configuration
        public var limits: SMTPReplyParser.Limits
        /// The server name to send in SNI (RFC 7672 §8.1: the TLSA base domain); nil sends none.
        public var sniHostname: String?
        /// Protocol versions, ciphers, client certificate. Verification is replaced by a
        /// callback that records the peer chain and accepts it (authentication is DANE's
        /// decision), so `certificateVerification` must not be `.none` — `init` sets it, and
        /// empties the trust roots.
        public var tlsConfiguration: TLSConfiguration
        public var connectTimeout: Duration

        public init(session: SMTPClientStateMachine.Configuration, sniHostname: String?, tlsConfiguration: TLSConfiguration = .makeClientConfiguration(), limits: SMTPReplyParser.Limits = .init(), connectTimeout: Duration = .seconds(30)) {
            self.session = session
            self.sniHostname = sniHostname
            self.tlsConfiguration = Self.normalised(tlsConfiguration)
            self.limits = limits
            self.connectTimeout = connectTimeout
        }

        /// `configuration` with the verification a probe needs: the peer chain is recorded
        /// and accepted by a callback (authentication is DANE's decision), and no trust roots.
        static func normalised(_ configuration: TLSConfiguration) -> TLSConfiguration {
            var tls = configuration
            tls.certificateVerification = .noHostnameVerification
            // RFC 7672 §3.1.2: never complete a chain from a local CA store; and loading the
            // system bundle (`.default`) costs more than the whole handshake.
            tls.trustRoots = .certificates([])
            return tls
        }
    }

    /// Runs one session to `address`. Never throws for what the server did — a refused
    /// connection, a timeout, a bad reply are all in the result; throws only when the TLS
    /// configuration cannot be turned into a context. `sharedContext`, when given, is used
    /// instead of a context made from `configuration.tlsConfiguration` for this session.
    /// `tlsEstablished`, when given, is called with the TLS facts the moment the handshake
    /// completes (on the event loop; it must not block), while the session goes on: the
    /// result's `tls` will be the same facts.
    public static func run(to address: SocketAddress, configuration: Configuration, sharedContext: SharedClientTLSContext? = nil,
                           group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                           tlsEstablished: (@Sendable (SMTPTLSFacts) -> Void)? = nil) async throws -> SMTPSessionResult {
        let tlsContext = try await sharedContext?.context() ?? NIOSSLContext(configuration: configuration.tlsConfiguration)
        let loop = group.next()
        let promise = loop.makePromise(of: SMTPSessionResult.self)
        let addressText = Self.describe(address)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(configuration.connectTimeout.timeAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = SMTPClientHandler(
                        configuration: configuration.session, limits: configuration.limits, tlsContext: tlsContext,
                        sniHostname: configuration.sniHostname, address: addressText, resultPromise: promise,
                        tlsEstablished: tlsEstablished
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        do {
            _ = try await bootstrap.connect(to: address).get()
        } catch {
            promise.succeed(SMTPSessionResult(address: addressText, outcome: SMTPClientOutcome(), connectError: String(describing: error)))
        }
        return try await promise.futureResult.get()
    }

    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return String(describing: address) }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
