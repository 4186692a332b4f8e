import DNSCore
import DNSSEC

/// What to do when the MX RRset is insecure but a host has secure TLSA (DESIGN.md
/// `--insecure-mx-policy`): Postfix ≥ 3.6 applies DANE and logs a match as Trusted (`dane`);
/// Postfix 3.0–3.5 ignored the TLSA (`may`, the 2015 experiment's behaviour); `encrypt`
/// requires TLS without authentication.
public enum InsecureMXPolicy: String, Hashable, Sendable, CaseIterable {
    case dane, may, encrypt
}

/// The TLSA lookup for one host, as validated DNS facts (RFC 7672 §2.2.3).
public enum TLSALookup: Hashable, Sendable {
    /// A secure TLSA RRset.
    case secure([TLSA])
    /// A secure proof that there is no TLSA RRset (NXDOMAIN or NODATA).
    case secureDenial
    /// Records or denial, but insecure.
    case insecure
    /// Bogus, indeterminate, SERVFAIL, NOTIMP, timeout: the host is skipped (§2.2.3).
    case failed(String)
    /// Not looked up: the host's addresses were insecure (§2.2.2).
    case notLookedUp
}

/// What a DANE-aware sender requires of the TLS connection to one host.
public enum TLSRequirement: Hashable, Sendable {
    /// Authenticated TLS with these usable records; no fallback.
    case dane(usable: [TLSA])
    /// TLS required, no authentication (all secure records unusable, or `encrypt`).
    case encrypt
    /// Opportunistic: TLS if offered, else plaintext.
    case opportunistic
    /// Do not deliver to this host (try the next one).
    case skipHost(DANEVerdict)
}

public enum DANEPolicy {
    /// RFC 7672 §2.2, the decision before connecting, for one host:
    /// - §2.2.1 MX RRset: bogus or indeterminate → `dns-failed` (the domain is deferred).
    ///   Insecure: under `may` TLSA is ignored (opportunistic, the pre-3.6 Postfix rule);
    ///   under `encrypt` TLS is required without authentication; under `dane` the host's TLSA
    ///   still applies (Postfix ≥ 3.6). A missing MX (implicit MX on the domain) has the
    ///   status of the address lookup of the domain itself, so callers pass that.
    /// - §2.2.2 addresses: bogus or indeterminate → skip the host (`dns-failed`); insecure
    ///   → no TLSA lookup, opportunistic.
    /// - §2.2.3 TLSA: secure with a usable record → DANE (authenticated TLS, no fallback);
    ///   secure, all unusable → TLS required without authentication; secure or insecure
    ///   denial, or insecure records → opportunistic; failed → skip the host (`dns-failed`).
    public static func requirement(mx: SecurityStatus, addresses: SecurityStatus, tlsa: TLSALookup,
                                   policy: InsecureMXPolicy) -> (TLSRequirement, [DANEReason]) {
        var reasons: [DANEReason] = []
        switch mx {
        case .bogus, .indeterminate:
            reasons.append(DANEReason(step: "mx", status: mx.rawValue, rule: "RFC 7672 §2.2.1", "the MX RRset is \(mx): the domain is deferred"))
            return (.skipHost(.dnsFailed), reasons)
        case .secure, .insecure:
            break
        }
        switch addresses {
        case .bogus, .indeterminate:
            reasons.append(DANEReason(step: "address", status: addresses.rawValue, rule: "RFC 7672 §2.2.2", "these addresses of the host are \(addresses): not used (another address family may still be)"))
            return (.skipHost(.dnsFailed), reasons)
        case .insecure:
            reasons.append(DANEReason(step: "address", status: "insecure", rule: "RFC 7672 §2.2.2", "insecure addresses: no TLSA lookup, opportunistic TLS"))
            return (mx == .insecure && policy == .encrypt ? .encrypt : .opportunistic, reasons)
        case .secure:
            break
        }
        if mx == .insecure, policy != .dane {
            reasons.append(DANEReason(step: "mx", status: "insecure", rule: "RFC 7672 §2.2.1",
                                      policy == .may ? "insecure MX RRset: TLSA not used (--insecure-mx-policy may, as Postfix < 3.6)"
                                                     : "insecure MX RRset: TLS required, not authenticated (--insecure-mx-policy encrypt)"))
            return (policy == .may ? .opportunistic : .encrypt, reasons)
        }
        switch tlsa {
        case .failed(let why):
            reasons.append(DANEReason(step: "tlsa", status: "failed", rule: "RFC 7672 §2.2.3", "TLSA lookup failed (\(why)): host skipped"))
            return (.skipHost(.dnsFailed), reasons)
        case .secureDenial:
            reasons.append(DANEReason(step: "tlsa", status: "secure", rule: "RFC 7672 §2.2.3", "no TLSA records (securely denied): opportunistic TLS"))
            return (.opportunistic, reasons)
        case .insecure, .notLookedUp:
            reasons.append(DANEReason(step: "tlsa", status: "insecure", rule: "RFC 7672 §2.2.3", "TLSA is not secure: opportunistic TLS"))
            return (.opportunistic, reasons)
        case .secure(let records):
            let (usable, unusable) = TLSAUsability.partition(records)
            for (record, problem) in unusable {
                reasons.append(DANEReason(step: "tlsa", status: "unusable", rule: "RFC 7672 §3.1.3",
                                          "\(record.usage.rawValue) \(record.selector.rawValue) \(record.matchingType.rawValue): \(problem)"))
            }
            if usable.isEmpty {
                reasons.append(DANEReason(step: "tlsa", status: "secure", rule: "RFC 7672 §2.2.3", "secure TLSA, all unusable: TLS required, not authenticated"))
                return (.encrypt, reasons)
            }
            reasons.append(DANEReason(step: "tlsa", status: "secure", rule: "RFC 7672 §2.2.3",
                                      "\(usable.count) usable secure TLSA record\(usable.count == 1 ? "" : "s"): authenticated TLS required"))
            return (.dane(usable: usable), reasons)
        }
    }
}
