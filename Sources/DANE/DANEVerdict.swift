import DNSCore

/// The outcome words of DESIGN.md: per connection the Postfix words operators read in their
/// logs (Verified, Trusted, Untrusted, Anonymous), plus what a sender does when there is no
/// such connection. `rawValue` is the machine word of `--json`'s `"verdict"`.
public enum DANEVerdict: String, Hashable, Sendable, CaseIterable {
    /// DANE matched and the MX RRset was secure.
    case verified
    /// DANE matched but the MX RRset was insecure (Postfix ≥ 3.6, `dane` policy).
    case trusted
    /// TLS, certificate not authenticated.
    case untrusted
    /// TLS without a server certificate (no anonymous suites in BoringSSL, so our client only
    /// sees this if a server manages without one).
    case anonymous
    /// No STARTTLS and no DANE: the mail goes in clear.
    case plaintext
    /// Usable secure TLSA, nothing matched: not delivered to this host.
    case daneFailed = "dane-failed"
    /// TLS required by secure TLSA, not offered or not completed: not delivered.
    case tlsRequiredFailed = "tls-required-failed"
    /// Bogus, indeterminate or SERVFAIL on a name that decides the outcome: deferred.
    case dnsFailed = "dns-failed"
    /// No connection could be made.
    case unreachable
    /// NXDOMAIN or null MX: the domain takes no mail.
    case noMail = "no-mail"

    /// Whether a sender hands the message to the host with this verdict.
    public var delivers: Bool {
        switch self {
        case .verified, .trusted, .untrusted, .anonymous, .plaintext: true
        case .daneFailed, .tlsRequiredFailed, .dnsFailed, .unreachable, .noMail: false
        }
    }
}

/// A step of a verdict's explanation, as a value: what was looked at, its status, the rule.
public struct DANEReason: Hashable, Sendable, CustomStringConvertible {
    public var step: String
    public var status: String
    public var rule: String
    public var detail: String

    public init(step: String, status: String, rule: String, _ detail: String) {
        self.step = step
        self.status = status
        self.rule = rule
        self.detail = detail
    }

    public var description: String { "\(step): \(detail) (\(rule))" }
}
