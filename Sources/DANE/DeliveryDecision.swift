import DNSCore

/// How a sender walks the MX hosts (RFC 5321 §5.1, RFC 7672 §2.2): hosts in preference order,
/// each host's addresses in order; a connection whose verdict does not deliver (DANE failed,
/// TLS required and missing, DNS failure, unreachable) makes the sender try the next address,
/// then the next host. The mail goes through the first connection that delivers.
public enum DeliveryDecision {
    /// One address's outcome.
    public struct Attempt: Hashable, Sendable {
        public var address: String
        public var verdict: DANEVerdict

        public init(address: String, verdict: DANEVerdict) {
            self.address = address
            self.verdict = verdict
        }
    }

    /// One MX host: its preference, and the outcome of each address (or of the host as a
    /// whole when it was skipped before connecting: one attempt with an empty address).
    public struct Host: Hashable, Sendable {
        public var name: DomainName
        public var preference: UInt16
        public var attempts: [Attempt]

        public init(name: DomainName, preference: UInt16, attempts: [Attempt]) {
            self.name = name
            self.preference = preference
            self.attempts = attempts
        }

        /// The first delivering attempt's verdict, else the first attempt's failure; a host
        /// with no addresses is unreachable.
        public var verdict: DANEVerdict {
            attempts.first(where: { $0.verdict.delivers })?.verdict ?? attempts.first?.verdict ?? .unreachable
        }
    }

    /// The domain's verdict (DESIGN.md): the verdict of the host the mail would go through,
    /// or — when none takes it — the failure of the most preferred host. Hosts of equal
    /// preference keep the given order (a sender picks among them at random, RFC 5321 §5.1;
    /// callers pass them in the order they were tried). No hosts at all is `unreachable`.
    public static func domainVerdict(_ hosts: [Host]) -> (verdict: DANEVerdict, host: Host?) {
        let ordered = hosts.enumerated().sorted { ($0.element.preference, $0.offset) < ($1.element.preference, $1.offset) }.map(\.element)
        if let delivering = ordered.first(where: { $0.verdict.delivers }) { return (delivering.verdict, delivering) }
        guard let first = ordered.first else { return (.unreachable, nil) }
        return (first.verdict, first)
    }
}
