import SMTPCore

/// Everything one client session to one address observed: the SMTP stages (replies,
/// capabilities before and after TLS, why it stopped), the TLS facts and any transport error.
public struct SMTPSessionResult: Hashable, Sendable {
    /// "ip:port" of the server.
    public var address: String
    public var outcome: SMTPClientOutcome
    /// Present when a TLS handshake completed.
    public var tls: SMTPTLSFacts?
    /// The server name the client put in SNI (nil when none was sent).
    public var sniSent: String?
    /// Set when the TCP connection could not be made; `outcome` is then empty.
    public var connectError: String?
    /// A transport error seen during the session (TLS alert, reset), if any.
    public var transportError: String?

    public init(address: String, outcome: SMTPClientOutcome, tls: SMTPTLSFacts? = nil, sniSent: String? = nil, connectError: String? = nil, transportError: String? = nil) {
        self.address = address
        self.outcome = outcome
        self.tls = tls
        self.sniSent = sniSent
        self.connectError = connectError
        self.transportError = transportError
    }
}
