import NIOSSL

/// One client TLS context for many SMTP sessions, made in the background as soon as this is
/// created. An `NIOSSLContext` is immutable once made and may be used on any event loop, and
/// making one (a BoringSSL `SSL_CTX` with its protocol, cipher and group settings) costs about
/// what a handshake's own set-up does: `scan` makes it once instead of once per session, and
/// `check` makes it while its MX lookup is in flight instead of after its TLSA lookup.
public final class SharedClientTLSContext: Sendable {
    private let making: Task<NIOSSLContext, any Error>

    /// `configuration` (default: `TLSConfiguration.makeClientConfiguration()`, itself made in
    /// the background too: its first use builds NIOSSL's cipher list) as
    /// `SMTPProbe.Configuration` normalises it (the chain recorded and accepted, DANE
    /// decides; no local trust roots).
    public init(configuration: TLSConfiguration? = nil) {
        making = Task { try NIOSSLContext(configuration: SMTPProbe.Configuration.normalised(configuration ?? .makeClientConfiguration())) }
    }

    /// The context; throws when the configuration cannot be made into one.
    public func context() async throws -> NIOSSLContext {
        try await making.value
    }
}
