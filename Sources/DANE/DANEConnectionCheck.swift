import DNSCore
import Foundation

/// What happened on the SMTP connection to one address (the transport's facts).
public enum ObservedSession: Hashable, Sendable {
    case unreachable(String)
    /// The server did not offer STARTTLS, or refused it.
    case noSTARTTLS
    case tlsFailed(String)
    case tls(TLSFacts)
}

/// The TLS facts of an established session.
public struct TLSFacts: Hashable, Sendable {
    public var version: String
    public var cipher: String
    /// DER of every certificate the server sent, leaf first.
    public var chain: [[UInt8]]

    public init(version: String, cipher: String, chain: [[UInt8]]) {
        self.version = version
        self.cipher = cipher
        self.chain = chain
    }
}

/// The verdict for one connection and why.
public struct ConnectionVerdict: Sendable {
    public var verdict: DANEVerdict
    public var reasons: [DANEReason]
    /// The record that authenticated the server, and at which depth it matched.
    public var matchedRecord: TLSA?
    public var matchDepth: Int?
}

public enum DANEConnectionCheck {
    /// RFC 7672 §2.2 and §3, after connecting, for one address:
    /// - DANE required: no STARTTLS or a failed handshake → `tls-required-failed` (§2.2.3, no
    ///   fallback to plaintext); else DANE-EE(3) records are matched against the leaf only
    ///   (§3.1.1, no name or date checks), then DANE-TA(2) records against the CA
    ///   certificates the server sent, with the chain validated at `time` and the leaf named
    ///   by one of `referenceNames` (§3.1.2, §3.2); a match is Verified when the MX RRset is
    ///   secure and Trusted when not (Postfix ≥ 3.6); no match → `dane-failed`.
    /// - TLS required without authentication: no TLS → `tls-required-failed`; TLS →
    ///   Untrusted (Anonymous without a certificate).
    /// - Opportunistic: no STARTTLS, or a failed handshake (a sender retries in clear) →
    ///   plaintext; TLS → Untrusted or Anonymous.
    /// `referenceNames` (§3.2.2): the TLSA base domain, plus the next-hop domain when the MX
    /// RRset is secure — the caller builds the list.
    public static func verdict(requirement: TLSRequirement, mxSecure: Bool, session: ObservedSession,
                               referenceNames: [DomainName], at time: Date) async -> ConnectionVerdict {
        switch requirement {
        case .skipHost(let verdict):
            return ConnectionVerdict(verdict: verdict, reasons: [])
        case .dane, .encrypt, .opportunistic:
            break
        }
        if case .unreachable(let why) = session {
            return ConnectionVerdict(verdict: .unreachable, reasons: [DANEReason(step: "connect", status: "failed", rule: "RFC 5321 §5", why)])
        }
        switch (requirement, session) {
        case (.dane, .noSTARTTLS), (.encrypt, .noSTARTTLS):
            return ConnectionVerdict(verdict: .tlsRequiredFailed, reasons: [DANEReason(
                step: "starttls", status: "missing", rule: "RFC 7672 §2.2.3", "TLS is required but the server offers no STARTTLS")])
        case (.dane, .tlsFailed(let why)), (.encrypt, .tlsFailed(let why)):
            return ConnectionVerdict(verdict: .tlsRequiredFailed, reasons: [DANEReason(
                step: "tls", status: "failed", rule: "RFC 7672 §2.2.3", "TLS is required but the handshake failed: \(why)")])
        case (.opportunistic, .noSTARTTLS):
            return ConnectionVerdict(verdict: .plaintext, reasons: [DANEReason(
                step: "starttls", status: "missing", rule: "RFC 3207", "no STARTTLS: the mail goes in clear")])
        case (.opportunistic, .tlsFailed(let why)):
            return ConnectionVerdict(verdict: .plaintext, reasons: [DANEReason(
                step: "tls", status: "failed", rule: "RFC 7435 §6", "handshake failed (\(why)): an opportunistic sender retries in clear")])
        case (.encrypt, .tls(let facts)), (.opportunistic, .tls(let facts)):
            let verdict: DANEVerdict = facts.chain.isEmpty ? .anonymous : .untrusted
            return ConnectionVerdict(verdict: verdict, reasons: [DANEReason(
                step: "tls", status: verdict.rawValue, rule: "RFC 7672 §2.2.3", "\(facts.version) with \(facts.cipher), certificate not authenticated")])
        case (.dane(let usable), .tls(let facts)):
            return await authenticate(usable: usable, facts: facts, mxSecure: mxSecure, referenceNames: referenceNames, at: time)
        case (.skipHost, _), (_, .unreachable):
            return ConnectionVerdict(verdict: .unreachable, reasons: [])
        }
    }

    private static func authenticate(usable: [TLSA], facts: TLSFacts, mxSecure: Bool, referenceNames: [DomainName],
                                     at time: Date) async -> ConnectionVerdict {
        let matchedVerdict: DANEVerdict = mxSecure ? .verified : .trusted
        let label = mxSecure ? "Verified" : "Trusted (MX RRset insecure)"
        guard let leaf = facts.chain.first else {
            return ConnectionVerdict(verdict: .daneFailed, reasons: [DANEReason(
                step: "match", status: "failed", rule: "RFC 7672 §3", "the server sent no certificate")])
        }
        if let record = TLSAMatcher.daneEEMatch(usable, leaf: leaf) {
            return ConnectionVerdict(verdict: matchedVerdict, reasons: [DANEReason(
                step: "match", status: matchedVerdict.rawValue, rule: "RFC 7672 §3.1.1",
                "\(label): DANE-EE \(record.selector.rawValue) \(record.matchingType.rawValue) matches the leaf (no name or date checks)")],
                matchedRecord: record, matchDepth: 0)
        }
        let ta = await DANETrustAnchorValidation.validate(chain: facts.chain, usable: usable, references: referenceNames, at: time)
        if let match = ta.match {
            let at = match.anchorDepth.map { "depth \($0)" } ?? "a full certificate in DNS"
            return ConnectionVerdict(verdict: matchedVerdict, reasons: [DANEReason(
                step: "match", status: matchedVerdict.rawValue, rule: "RFC 7672 §3.1.2",
                "\(label): DANE-TA \(match.record.selector.rawValue) \(match.record.matchingType.rawValue) matches at \(at); leaf name \(match.presentedName) = \(match.referenceName)")],
                matchedRecord: match.record, matchDepth: match.anchorDepth)
        }
        var reasons = [DANEReason(step: "match", status: "failed", rule: "RFC 7672 §3",
                                  "no usable TLSA record matches the certificate chain: not delivered to this host")]
        reasons += ta.reasons.map { DANEReason(step: "match", status: "failed", rule: "RFC 7672 §3.1.2", $0) }
        return ConnectionVerdict(verdict: .daneFailed, reasons: reasons)
    }
}
