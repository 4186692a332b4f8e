import DANE
import Foundation

/// What a batch of `DomainReport`s adds up to (issue 8's list): the value `ReportAccumulator`
/// produces and every renderer reads. Encoded as it is for `daneprobe report --json`; its
/// field names are that output's schema.
///
/// Counts are of domains unless the name says hosts; a host is counted once per domain that
/// names it (a hosting provider's MX serving a thousand domains counts a thousand times), so
/// the accumulator stays constant in memory however many domains it is fed.
public struct ReportSummary: Hashable, Sendable, Codable {
    /// One bar of a distribution: a key (a verdict word, `3 1 1`, a reason) and how often.
    public struct Tally: Hashable, Sendable, Codable {
        public var key: String
        public var count: Int

        public init(_ key: String, _ count: Int) {
            self.key = key
            self.count = count
        }
    }

    /// Every domain read.
    public var domains: Int
    /// An explicit, non-null MX RRset that a sender can use (secure or insecure).
    public var withMX: Int
    /// No MX RRset: the domain is its own mail host (RFC 5321 §5.1).
    public var implicitMX: Int
    /// A null MX (RFC 7505).
    public var nullMX: Int
    /// Mail hosts (explicit or implicit) from a secure MX lookup (RFC 7672 §2.2.1).
    public var signedMX: Int
    /// Domains with at least one MX host whose address RRset is secure (the host's zone is
    /// signed, so its TLSA is looked up, RFC 7672 §2.2.2).
    public var withSignedMXHost: Int
    /// Domains with at least one MX host publishing TLSA records (any status).
    public var withTLSA: Int
    /// Domains with at least one MX host with secure TLSA records usable for SMTP (RFC 7672 §3.1.3).
    public var withUsableTLSA: Int
    /// Domains with at least one connection whose certificate matched a TLSA record.
    public var matching: Int
    /// Domains with at least one host that offered STARTTLS (established or failed after the offer).
    public var startTLSOffered: Int
    /// Domains whose mail a DANE-aware sender hands over (`DANEVerdict.delivers`).
    public var delivering: Int
    /// Domains that publish something broken even if the mail still goes.
    public var broken: Int
    /// Partial DANE: some probed MX hosts have TLSA records and some do not.
    public var partialDANE: Int
    /// Domains whose every host with usable TLSA is rollover-ready (see `hostsRolloverReady`),
    /// among those with usable TLSA.
    public var rolloverReady: Int

    /// MX hosts probed (not skipped), per domain.
    public var hosts: Int
    /// Hosts with a secure address RRset.
    public var hostsInSignedZones: Int
    public var hostsWithTLSA: Int
    public var hostsWithUsableTLSA: Int
    /// Hosts with at least one matching connection.
    public var hostsMatching: Int
    public var hostsStartTLSOffered: Int
    /// Hosts with usable TLSA that survive a key or certificate change: two or more usable
    /// records (current + next, RFC 7671 §8.1), or a DANE-TA record (the issuer stays when the
    /// leaf changes, RFC 7671 §8.4).
    public var hostsRolloverReady: Int

    /// Domain verdicts, in `DANEVerdict.allCases` order, zeros included.
    public var verdicts: [Tally]
    /// Why domains were not delivered to or were broken, most frequent first (at most
    /// `ReportAccumulator.topReasons`).
    public var failureReasons: [Tally]
    /// TLSA records by `usage selector matching-type`, over hosts, most frequent first.
    public var tlsaParameters: [Tally]
    /// DNSSEC algorithms of the zones seen, most frequent first; nil when the input does not
    /// record them (a `DomainReport` carries statuses, not algorithms).
    public var dnssecAlgorithms: [Tally]?
    /// Lines that could not be read as a `DomainReport`.
    public var unreadable: Int
    /// What the input cannot tell, in words.
    public var notes: [String]

    /// The count of `verdict`.
    public func count(_ verdict: DANEVerdict) -> Int { verdicts.first { $0.key == verdict.rawValue }?.count ?? 0 }
}
