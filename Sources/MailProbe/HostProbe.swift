import DANE
import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation
import NIOCore
import SMTPCore
import SMTPTransport
import Synchronization

/// One MX host, as a sender treats it: addresses, TLSA, then a session to each address.
enum HostProbe {
    struct Context: Sendable {
        var domain: DomainName
        var mxStatus: SecurityStatus
        var implicitMX: Bool
        var probe: MailProbe
    }

    /// The host's A and AAAA lookups (concurrently), its TLSA base domain and records, and
    /// one SMTP session per address (concurrently), in published order.
    ///
    /// RFC 7672 §2.2.2, per address family: bogus or indeterminate addresses skip that family
    /// (`dns-failed`), the other may still proceed; insecure addresses get no TLSA lookup.
    /// The TLSA lookup is made once for the host when any family's addresses are secure.
    ///
    /// Latency, not a decision: when the MX RRset is secure the host is most likely in a
    /// signed zone, so the TLSA question at the host name (the first base domain unless the
    /// addresses come through a CNAME) is sent beside A and AAAA, into the resolver's shared
    /// answer cache. `lookUpTLSA` takes the answer from there only when the rules above ask
    /// for that very RRset; otherwise it is dropped unread, and nothing waits for it. The
    /// decision and the report are the same either way.
    static func run(host: DomainName, preference: UInt16, context: Context) async -> HostReport {
        let probe = context.probe
        if context.mxStatus == .secure, let owner = try? tlsaOwner(host, port: probe.options.port) {
            Task { _ = await probe.lookUp(owner, .tlsa) }
        }
        async let v4 = probe.lookUp(host, .a)
        async let v6 = probe.lookUp(host, .aaaa)
        let families: [(family: String, lookup: MailProbe.Lookup, addresses: [String])] = [
            ("ipv4", await v4, []), ("ipv6", await v6, []),
        ].map { family, lookup, _ in
            let rrsets = lookup.answer?.rrsets ?? []
            let addresses: [String] = family == "ipv4"
                ? rrsets.filter { $0.type == .a }.flatMap(\.rdatas).compactMap { $0.as(A.self).map { "\($0.address)" } }
                : rrsets.filter { $0.type == .aaaa }.flatMap(\.rdatas).compactMap { $0.as(AAAA.self).map { "\($0.address)" } }
            return (family, lookup, addresses)
        }
        let chainSource = families.first { !($0.lookup.answer?.chain.isEmpty ?? true) }?.lookup.answer?.chain ?? []
        let aliases = chainSource.map { TLSABaseDomain.AliasLink(alias: $0.owner, target: $0.target, status: $0.status) }
        let addressesSecure = families.contains { $0.lookup.status == .secure && !$0.addresses.isEmpty }
        let candidates = TLSABaseDomain.candidates(host: host, aliases: aliases, addressStatus: addressesSecure ? .secure : .insecure)
        let tlsa = await lookUpTLSA(candidates: candidates, probe: probe)

        var reasons: [ReasonReport] = []
        var planned: [(address: String, requirement: TLSRequirement, mxStatus: SecurityStatus, reasons: [DANEReason])] = []
        for family in families {
            let mxStatus = context.implicitMX && context.mxStatus == .secure ? family.lookup.status : context.mxStatus
            let lookupForFamily: TLSALookup = family.lookup.status == .secure ? tlsa.lookup : .notLookedUp
            switch family.lookup.status {
            case .bogus, .indeterminate:
                let (requirement, why) = DANEPolicy.requirement(mx: mxStatus, addresses: family.lookup.status, tlsa: .notLookedUp,
                                                                 policy: probe.options.insecureMXPolicy)
                var detail = why
                if let error = family.lookup.error { detail.append(DANEReason(step: "address", status: "error", rule: "RFC 7672 §2.2.2", error)) }
                planned.append(("", requirement, mxStatus, detail))
            case .secure, .insecure:
                for address in family.addresses {
                    let (requirement, why) = DANEPolicy.requirement(mx: mxStatus, addresses: family.lookup.status, tlsa: lookupForFamily,
                                                                     policy: probe.options.insecureMXPolicy)
                    planned.append((address, requirement, mxStatus, why))
                }
            }
        }
        if planned.isEmpty {
            reasons.append(ReasonReport(step: "address", status: "none", rule: "RFC 5321 §5.1", detail: "\(host) has no A or AAAA records"))
        }
        let base = tlsa.base ?? host
        let connections: [ConnectionReport] = await withTaskGroup(of: (Int, ConnectionReport).self) { group in
            for (index, plan) in planned.enumerated() {
                group.addTask {
                    let mxSecure = plan.mxStatus == .secure
                    var references = [base]
                    if mxSecure, context.domain != base { references.append(context.domain) }
                    let report = await connect(host: host, address: plan.address, requirement: plan.requirement, mxSecure: mxSecure,
                                               sni: base, references: references, reasons: plan.reasons, probe: probe)
                    return (index, report)
                }
            }
            var collected: [(Int, ConnectionReport)] = []
            for await entry in group { collected.append(entry) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let requirement = planned.map(\.requirement).first.map(Self.word) ?? "none"
        let decision = DeliveryDecision.Host(name: host, preference: preference,
                                             attempts: connections.map { DeliveryDecision.Attempt(address: $0.address, verdict: $0.verdict) })
        return HostReport(
            name: "\(host)", preference: preference,
            addresses: families.map { family in
                AddressLookupReport(family: family.family, status: family.lookup.status, rcode: family.lookup.rcode, addresses: family.addresses,
                                    reasons: family.lookup.reasons.map { ReasonReport(step: family.family == "ipv4" ? "a" : "aaaa", $0, status: family.lookup.status) }
                                        + (family.lookup.error.map { [ReasonReport(step: "address", status: "error", rule: "RFC 7672 §2.2.2", detail: $0)] } ?? []))
            },
            aliases: aliases.map { AliasReport(alias: "\($0.alias)", target: "\($0.target)", status: $0.status) },
            tlsaBase: candidates.isEmpty ? nil : "\(base)", tlsa: tlsa.report, requirement: requirement, connections: connections,
            verdict: connections.isEmpty ? .unreachable : decision.verdict, reasons: reasons, skipped: false)
    }

    static func word(_ requirement: TLSRequirement) -> String {
        switch requirement {
        case .dane: "dane"
        case .encrypt: "encrypt"
        case .opportunistic: "opportunistic"
        case .skipHost: "skip"
        }
    }

    struct TLSAOutcome {
        var lookup: TLSALookup
        var base: DomainName?
        var report: TLSAReport
    }

    /// RFC 7672 §2.2.2–§2.2.3: TLSA at `_PORT._tcp.BASE` for each candidate base in order (the
    /// CNAME-expanded name first, then the original name when the whole chain is secure). A
    /// secure RRset ends the search at that base; a failure (bogus, indeterminate, SERVFAIL,
    /// NOTIMP, timeout) ends it too and skips the host; a denial or insecure answer moves on
    /// to the next candidate. No candidates: not looked up (insecure addresses).
    static func lookUpTLSA(candidates: [DomainName], probe: MailProbe) async -> TLSAOutcome {
        guard !candidates.isEmpty else {
            return TLSAOutcome(lookup: .notLookedUp, base: nil,
                               report: TLSAReport(status: "not-looked-up", queried: [], records: [], usable: [],
                                                  reasons: [ReasonReport(step: "tlsa", status: "not-looked-up", rule: "RFC 7672 §2.2.2",
                                                                         detail: "the host's addresses are not secure: no TLSA lookup")]))
        }
        var report = TLSAReport(status: "not-looked-up", queried: [], records: [], usable: [], reasons: [])
        var lookup = TLSALookup.notLookedUp
        var base: DomainName? = candidates.first
        for candidate in candidates {
            let owner: DomainName
            do {
                owner = try tlsaOwner(candidate, port: probe.options.port)
            } catch {
                lookup = .failed("_\(probe.options.port)._tcp.\(candidate) is not a valid name: \(error)")
                report.status = "failed"
                break
            }
            report.queried.append("\(owner)")
            base = candidate
            let result = await probe.lookUp(owner, .tlsa)
            report.reasons += result.reasons.map { ReasonReport(step: "tlsa", $0, status: result.status) }
            let records = (result.answer?.rrsets ?? []).filter { $0.type == .tlsa }.flatMap(\.rdatas).compactMap { $0.as(TLSA.self) }
            let rcode = result.answer?.rcode
            if let error = result.error {
                lookup = .failed(error)
                report.status = "failed"
                break
            }
            switch result.status {
            case .bogus, .indeterminate:
                lookup = .failed("\(owner) TLSA is \(result.status)")
                report.status = result.status.rawValue
            case .secure, .insecure:
                if rcode != .noError, rcode != .nxDomain {
                    lookup = .failed("\(owner) TLSA: rcode \(result.rcode)")
                    report.status = "failed"
                } else if result.status == .insecure {
                    lookup = .insecure
                    report.status = "insecure"
                    report.records = records.map(\.presentation)
                    continue
                } else if records.isEmpty {
                    lookup = .secureDenial
                    report.status = "secure"
                    continue
                } else {
                    lookup = .secure(records)
                    report.status = "secure"
                    report.records = records.map(\.presentation)
                    report.usable = TLSAUsability.partition(records).usable.map(\.presentation)
                }
            }
            break
        }
        return TLSAOutcome(lookup: lookup, base: base, report: report)
    }

    /// `_PORT._tcp.BASE`, where the TLSA RRset of a base domain is (RFC 6698 §3, RFC 7672 §2.2.3).
    static func tlsaOwner(_ base: DomainName, port: Int) throws -> DomainName {
        try base.prepending(label: Array("_tcp".utf8)).prepending(label: Array("_\(port)".utf8))
    }

    /// One SMTP session and its verdict (RFC 7672 §2.2.3 and §3, `DANEConnectionCheck`).
    /// TLS is demanded (`required`) when DANE or `encrypt` applies, else used if offered; SNI
    /// is the TLSA base domain (RFC 7672 §8.1).
    static func connect(host: DomainName, address: String, requirement: TLSRequirement, mxSecure: Bool, sni: DomainName,
                        references: [DomainName], reasons: [DANEReason], probe: MailProbe) async -> ConnectionReport {
        let options = probe.options
        let published = DNSServerAddress(host: address, port: options.port)
        let label = "\(host.textWithoutTrailingDot)[\(address)]:\(options.port)"
        var report = ConnectionReport(address: address.isEmpty ? "" : Self.text(published), connectedTo: nil, starttls: "not-attempted",
                                      tls: nil, chain: [], match: nil, verdict: .unreachable, summary: "", reasons: reasons.map(ReasonReport.init))
        if case .skipHost(let verdict) = requirement {
            report.verdict = verdict
            report.summary = "\(host.textWithoutTrailingDot): \(reasons.last?.detail ?? "host skipped")"
            return report
        }
        let target = options.addressMap.map(published)
        if target != published { report.connectedTo = Self.text(target) }
        let now = options.now ?? Date()
        // The certificate checks start when the handshake completes and run beside the
        // session's last commands (EHLO, QUIT); the session's end decides whether they count.
        let early = EarlyVerdict()
        let judge: @Sendable (ObservedSession, [[UInt8]]) async -> EarlyVerdict.Judgement = { session, chain in
            let verdict = await DANEConnectionCheck.verdict(requirement: requirement, mxSecure: mxSecure, session: session,
                                                            referenceNames: references, at: now)
            return EarlyVerdict.Judgement(verdict: verdict, chain: chain.map(CertificateSummary.init(der:)))
        }
        let session: ObservedSession
        var result: SMTPSessionResult?
        do {
            let socketAddress = try target.socketAddress()
            var timeouts = SMTPClientStateMachine.Timeouts(all: options.timeout)
            timeouts.greeting = options.timeout
            let tlsPolicy: SMTPClientStateMachine.TLSPolicy
            switch requirement {
            case .dane, .encrypt: tlsPolicy = .required
            case .opportunistic, .skipHost: tlsPolicy = .ifOffered
            }
            let configuration = SMTPProbe.Configuration(
                session: SMTPClientStateMachine.Configuration(clientName: options.ehloName, tls: tlsPolicy, timeouts: timeouts),
                sniHostname: sni.textWithoutTrailingDot, connectTimeout: options.timeout)
            let outcome = try await SMTPProbe.run(to: socketAddress, configuration: configuration, sharedContext: probe.tls) { tls in
                early.start(Self.facts(tls)) { await judge(.tls($0), $0.chain) }
            }
            result = outcome
            session = Self.observed(outcome)
        } catch {
            session = .unreachable("\(error)")
        }
        let judgement: EarlyVerdict.Judgement
        if case .tls(let facts) = session, let pending = early.judgement(for: facts) {
            judgement = await pending.value
        } else {
            judgement = await judge(session, result?.tls?.peerChain ?? [])
        }
        let verdict = judgement.verdict
        if let result {
            report.starttls = Self.word(result.outcome.startTLS)
            if let tls = result.tls {
                report.tls = TLSReport(version: tls.version ?? "unknown", cipher: tls.cipherName ?? "unknown", sni: result.sniSent)
                report.chain = judgement.chain
            }
        }
        report.verdict = verdict.verdict
        report.reasons += verdict.reasons.map(ReasonReport.init)
        if let record = verdict.matchedRecord { report.match = MatchReport(record: record.presentation, depth: verdict.matchDepth) }
        report.summary = Self.summary(verdict: verdict.verdict, label: label, tls: report.tls, session: session, reasons: verdict.reasons)
        return report
    }

    static func observed(_ result: SMTPSessionResult) -> ObservedSession {
        if let error = result.connectError { return .unreachable(error) }
        switch result.outcome.startTLS {
        case .established:
            return .tls(facts(result.tls))
        case .notOffered, .refused: return .noSTARTTLS
        case .failed(let why): return .tlsFailed(why)
        case .notAttempted:
            if let error = result.transportError { return .unreachable(error) }
            return .unreachable("the session ended before STARTTLS: \(result.outcome.stopReason)")
        }
    }

    /// What the DANE checks judge of an established session.
    static func facts(_ tls: SMTPTLSFacts?) -> TLSFacts {
        TLSFacts(version: tls?.version ?? "unknown", cipher: tls?.cipherName ?? "unknown", chain: tls?.peerChain ?? [])
    }

    static func word(_ result: SMTPClientStateMachine.StartTLSResult) -> String {
        switch result {
        case .notAttempted: "not-attempted"
        case .notOffered: "not-offered"
        case .refused: "refused"
        case .established: "established"
        case .failed: "failed"
        }
    }

    /// The Postfix-style log line operators know (smtp(8)'s `… TLS connection established
    /// to HOST[ADDR]:PORT: VERSION with cipher CIPHER`), or what stopped the delivery.
    static func summary(verdict: DANEVerdict, label: String, tls: TLSReport?, session: ObservedSession, reasons: [DANEReason]) -> String {
        let established = tls.map { ": \($0.version) with cipher \($0.cipher)" } ?? ""
        switch verdict {
        case .verified: return "Verified TLS connection established to \(label)\(established)"
        case .trusted: return "Trusted TLS connection established to \(label)\(established)"
        case .untrusted: return "Untrusted TLS connection established to \(label)\(established)"
        case .anonymous: return "Anonymous TLS connection established to \(label)\(established)"
        case .plaintext: return "\(label): no TLS, the mail goes in clear: \(reasons.last?.detail ?? "")"
        case .daneFailed: return "\(label): DANE authentication failed, not delivered: \(reasons.first?.detail ?? "")"
        case .tlsRequiredFailed: return "\(label): TLS is mandatory, not delivered: \(reasons.last?.detail ?? "")"
        case .dnsFailed: return "\(label): DNS lookup failed: \(reasons.last?.detail ?? "")"
        case .unreachable:
            if case .unreachable(let why) = session { return "\(label): connect failed: \(why)" }
            return "\(label): unreachable"
        case .noMail: return "\(label): no mail"
        }
    }

    static func text(_ address: DNSServerAddress) -> String {
        address.isIPv6 ? "[\(address.host)]:\(address.port)" : "\(address.host):\(address.port)"
    }
}

extension DomainName {
    /// The presentation form without the root's trailing dot (`mx.example`), as SNI and
    /// log lines spell host names.
    var textWithoutTrailingDot: String {
        let text = "\(self)"
        return text.count > 1 && text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}

/// The DANE verdict of a session's TLS facts, started the moment its handshake completes, so
/// the certificate checks run beside the session's last commands instead of after them. It
/// counts only when the session ends established with those same facts; otherwise the
/// verdict is computed from how it ended.
final class EarlyVerdict: Sendable {
    struct Judgement: Sendable {
        var verdict: ConnectionVerdict
        var chain: [CertificateSummary]
    }

    private let pending = Mutex<(facts: TLSFacts, task: Task<Judgement, Never>)?>(nil)

    func start(_ facts: TLSFacts, _ judge: @escaping @Sendable (TLSFacts) async -> Judgement) {
        let task = Task { await judge(facts) }
        pending.withLock { $0 = (facts, task) }
    }

    /// The judgement started for `facts`, if any.
    func judgement(for facts: TLSFacts) -> Task<Judgement, Never>? {
        pending.withLock { pending in pending.flatMap { $0.facts == facts ? $0.task : nil } }
    }
}
