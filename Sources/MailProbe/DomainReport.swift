import DANE
import DNSCore
import DNSSEC
import Foundation

/// Everything `MailProbe` learned about one mail domain, as a value: the JSON of
/// `daneprobe check --json` is this type encoded (keys sorted), and the text report is
/// rendered from it. Field names are the schema of issue 6.
public struct DomainReport: Hashable, Sendable, Codable {
    /// The mail domain, absolute, as asked.
    public var domain: String
    /// The verdict of the host that would take the mail, or the most preferred host's
    /// failure (`DeliveryDecision.domainVerdict`); `no-mail`/`dns-failed` from the MX lookup.
    public var verdict: DANEVerdict
    /// The host the mail would go through.
    public var deliveringHost: String?
    /// The sender policy applied (`--insecure-mx-policy`).
    public var insecureMXPolicy: String
    public var mx: MXReport
    public var hosts: [HostReport]
    /// Something the domain publishes is broken even if the mail still goes (a host that
    /// fails DANE, requires missing TLS, or has bogus DNS).
    public var broken: Bool
    public var reasons: [ReasonReport]
    /// What to change, in words, for each problem found.
    public var advice: [String]

    /// Whether a DANE-aware sender would deliver and nothing published is broken (exit 0 of
    /// `check`); with `requireDANE`, only a Verified delivery counts.
    public func passes(requireDANE: Bool) -> Bool {
        guard verdict.delivers, !broken else { return false }
        return !requireDANE || verdict == .verified
    }
}

/// The MX lookup (RFC 7672 §2.2.1).
public struct MXReport: Hashable, Sendable, Codable {
    public var status: SecurityStatus
    public var rcode: String
    /// No MX RRset: the domain itself is the host (RFC 5321 §5.1).
    public var implicit: Bool
    /// A single MX of "." (RFC 7505): the domain accepts no mail.
    public var nullMX: Bool
    public var hosts: [MXHost]
    public var reasons: [ReasonReport]
}

public struct MXHost: Hashable, Sendable, Codable {
    public var name: String
    public var preference: UInt16
}

/// One MX host: its addresses, its TLSA base domain and records, what a sender requires of
/// it, and each connection.
public struct HostReport: Hashable, Sendable, Codable {
    public var name: String
    public var preference: UInt16
    public var addresses: [AddressLookupReport]
    /// The CNAME chain from the host name to where its addresses are.
    public var aliases: [AliasReport]
    /// Where the TLSA records were looked up and found (RFC 7672 §2.2.2), nil when not looked up.
    public var tlsaBase: String?
    public var tlsa: TLSAReport
    /// What a DANE-aware sender requires: `dane`, `encrypt`, `opportunistic` or `skip`.
    public var requirement: String
    public var connections: [ConnectionReport]
    public var verdict: DANEVerdict
    public var reasons: [ReasonReport]
    /// Not probed: `--first-only` stopped at an earlier host.
    public var skipped: Bool
}

/// The A or AAAA lookup of one host.
public struct AddressLookupReport: Hashable, Sendable, Codable {
    /// `ipv4` or `ipv6`.
    public var family: String
    public var status: SecurityStatus
    public var rcode: String
    public var addresses: [String]
    public var reasons: [ReasonReport]
}

public struct AliasReport: Hashable, Sendable, Codable {
    public var alias: String
    public var target: String
    public var status: SecurityStatus
}

/// The TLSA lookup(s) for a host (RFC 7672 §2.2.3).
public struct TLSAReport: Hashable, Sendable, Codable {
    /// `secure`, `insecure`, `bogus`, `indeterminate`, `failed`, or `not-looked-up`.
    public var status: String
    /// The owner names asked, in order (`_25._tcp.` + each candidate base).
    public var queried: [String]
    /// The records in presentation form (`3 1 1 ABCD…`).
    public var records: [String]
    /// The records usable for SMTP (RFC 7672 §3.1.3).
    public var usable: [String]
    public var reasons: [ReasonReport]
}

/// One SMTP connection and its verdict.
public struct ConnectionReport: Hashable, Sendable, Codable {
    /// The published address and port (`192.0.2.1:25`, `[2001:db8::1]:25`).
    public var address: String
    /// Where the connection really went when the lab's address map redirected it.
    public var connectedTo: String?
    /// `established`, `not-offered`, `refused`, `failed`, `not-attempted`.
    public var starttls: String
    public var tls: TLSReport?
    public var chain: [CertificateSummary]
    public var match: MatchReport?
    public var verdict: DANEVerdict
    /// The Postfix-style log line (`Verified TLS connection established to …`).
    public var summary: String
    public var reasons: [ReasonReport]
}

public struct TLSReport: Hashable, Sendable, Codable {
    public var version: String
    public var cipher: String
    /// The SNI name sent (the TLSA base domain, RFC 7672 §8.1).
    public var sni: String?
}

public struct MatchReport: Hashable, Sendable, Codable {
    public var record: String
    /// 0 for the leaf; the depth of the trust anchor for DANE-TA; nil for a full `2 0 0` in DNS.
    public var depth: Int?
}

/// One reason step: what was looked at, its status, the rule, in words.
public struct ReasonReport: Hashable, Sendable, Codable {
    public var step: String
    public var status: String
    public var rule: String
    public var detail: String
    /// The DNSSEC algorithm number of a signature this step verified (absent otherwise, and
    /// in reports written before it was recorded).
    public var algorithm: UInt8?

    public init(step: String, status: String, rule: String, detail: String, algorithm: UInt8? = nil) {
        self.step = step
        self.status = status
        self.rule = rule
        self.detail = detail
        self.algorithm = algorithm
    }

    init(_ reason: DANEReason) {
        self.init(step: reason.step, status: reason.status, rule: reason.rule, detail: reason.detail)
    }

    init(step: String, _ reason: ValidationReason, status: SecurityStatus) {
        self.init(step: step, status: status.rawValue, rule: reason.rule, detail: reason.detail, algorithm: reason.algorithm?.rawValue)
    }
}

extension DANEVerdict: Codable {}
extension SecurityStatus: Codable {}

extension DomainReport {
    /// One line of JSON, keys sorted (`daneprobe check --json`, every scan row): what
    /// Foundation's `JSONEncoder` with `.sortedKeys` writes of the `Codable` conformance,
    /// written by `JSONWriter` (DomainReport+JSON.swift) at a fraction of its cost.
    public func jsonLine() -> String { jsonText }
}
