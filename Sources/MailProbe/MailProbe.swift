import DANE
import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation
import SMTPTransport

/// One mail domain, end to end, as a DANE-aware sender sees it (DESIGN.md, "MailProbe"): the
/// MX lookup, each host's addresses and TLSA base domain, the TLSA RRset, an SMTP session with
/// STARTTLS to every address, and the RFC 7672 verdicts — all as a `DomainReport`.
///
/// The decisions are the `DANE` module's pure functions; this type only gathers their inputs
/// from the resolver and the network, in the order a sender would.
public struct MailProbe: Sendable {
    public let resolver: Resolver
    public let options: MailProbeOptions
    /// The client TLS context every session of this probe uses, made in the background from
    /// the start.
    let tls: SharedClientTLSContext

    public init(resolver: Resolver, options: MailProbeOptions) {
        self.resolver = resolver
        self.options = options
        tls = SharedClientTLSContext()
    }

    /// Checks `domain`. Never throws: a lookup that cannot be run is a `dns-failed` verdict
    /// with its reason.
    ///
    /// RFC 7672 §2.2.1, the MX RRset:
    /// - bogus or indeterminate, or a lookup that could not be run → `dns-failed` (the
    ///   sender defers the whole domain);
    /// - NXDOMAIN, or a null MX (RFC 7505 §3) → `no-mail`;
    /// - NODATA → the implicit MX (RFC 5321 §5.1): the domain itself is the one host, and its
    ///   "MX status" is that of the denial, or — when the denial is secure — of the domain's
    ///   own address records (DANEPolicy's rule);
    /// - otherwise the hosts in preference order (equal preferences keep the published order).
    public func check(_ domain: DomainName) async -> DomainReport {
        let policy = options.insecureMXPolicy.rawValue
        func finish(_ verdict: DANEVerdict, mx: MXReport, reasons: [ReasonReport]) -> DomainReport {
            DomainReport(domain: "\(domain)", verdict: verdict, deliveringHost: nil, insecureMXPolicy: policy, mx: mx, hosts: [],
                         broken: verdict == .dnsFailed, reasons: reasons, advice: Advice.forDomain(verdict: verdict, mx: mx))
        }
        // The top of the domain's chain of trust, fetched beside its MX query, not after it.
        resolver.prefetchChain(for: domain)
        let lookup = await lookUp(domain, .mx)
        var mx = MXReport(status: lookup.status, rcode: lookup.rcode, implicit: false, nullMX: false, hosts: [],
                          reasons: lookup.reasons.map { ReasonReport(step: "mx", $0, status: lookup.status) })
        guard let answer = lookup.answer, lookup.status == .secure || lookup.status == .insecure, answer.rcode == .noError || answer.rcode == .nxDomain else {
            let detail = lookup.error ?? "the MX lookup is \(lookup.status), rcode \(lookup.rcode): the domain is deferred"
            return finish(.dnsFailed, mx: mx, reasons: [ReasonReport(step: "mx", status: lookup.status.rawValue, rule: "RFC 7672 §2.2.1", detail: detail)])
        }
        if answer.rcode == .nxDomain {
            return finish(.noMail, mx: mx, reasons: [ReasonReport(step: "mx", status: lookup.status.rawValue, rule: "RFC 5321 §5.1",
                                                                  detail: "\(domain) does not exist (NXDOMAIN): no mail")])
        }
        let records = answer.rrsets.filter { $0.type == .mx }.flatMap(\.rdatas).compactMap { $0.as(MX.self) }
        if records.contains(where: \.isNullMX) {
            mx.nullMX = true
            return finish(.noMail, mx: mx, reasons: [ReasonReport(step: "mx", status: lookup.status.rawValue, rule: "RFC 7505 §3",
                                                                  detail: "null MX: \(domain) accepts no mail")])
        }
        var hosts: [(name: DomainName, preference: UInt16)]
        if records.isEmpty {
            mx.implicit = true
            hosts = [(domain, 0)]
        } else {
            hosts = records.enumerated().sorted { ($0.element.preference, $0.offset) < ($1.element.preference, $1.offset) }
                .map { ($0.element.exchange, $0.element.preference) }
            var seen = Set<DomainName>()
            hosts = hosts.filter { seen.insert($0.name).inserted }
        }
        mx.hosts = hosts.map { MXHost(name: "\($0.name)", preference: $0.preference) }
        let context = HostProbe.Context(domain: domain, mxStatus: lookup.status, implicitMX: mx.implicit, probe: self)
        var reports: [HostReport]
        if options.firstOnly {
            reports = []
            var delivered = false
            for host in hosts {
                if delivered {
                    reports.append(HostReport.skipped(name: host.name, preference: host.preference))
                    continue
                }
                let report = await HostProbe.run(host: host.name, preference: host.preference, context: context)
                delivered = report.verdict.delivers
                reports.append(report)
            }
        } else {
            reports = await withTaskGroup(of: (Int, HostReport).self) { group in
                for (index, host) in hosts.enumerated() {
                    group.addTask { (index, await HostProbe.run(host: host.name, preference: host.preference, context: context)) }
                }
                var collected: [(Int, HostReport)] = []
                for await entry in group { collected.append(entry) }
                return collected.sorted { $0.0 < $1.0 }.map(\.1)
            }
        }
        let decisionHosts = zip(hosts, reports).filter { !$0.1.skipped }.map { host, report in
            DeliveryDecision.Host(name: host.name, preference: host.preference,
                                  attempts: report.connections.map { DeliveryDecision.Attempt(address: $0.address, verdict: $0.verdict) })
        }
        let (verdict, via) = DeliveryDecision.domainVerdict(decisionHosts)
        let broken = reports.contains { $0.connections.contains { [.daneFailed, .tlsRequiredFailed, .dnsFailed].contains($0.verdict) } }
        var reasons: [ReasonReport] = []
        if mx.implicit {
            reasons.append(ReasonReport(step: "mx", status: lookup.status.rawValue, rule: "RFC 5321 §5.1", detail: "no MX records: the domain itself is the mail host"))
        } else {
            reasons.append(ReasonReport(step: "mx", status: lookup.status.rawValue, rule: "RFC 7672 §2.2.1",
                                        detail: "the MX RRset is \(lookup.status)" + (lookup.status == .secure ? ": connections that match TLSA are Verified"
                                            : options.insecureMXPolicy == .dane ? ": TLSA still applies, a match is Trusted (Postfix ≥ 3.6)" : "")))
        }
        if let via {
            reasons.append(ReasonReport(step: "delivery", status: verdict.rawValue, rule: "RFC 7672 §2.2",
                                        detail: verdict.delivers ? "the mail goes to \(via.name) (\(verdict.rawValue))" : "no host would take the mail; the most preferred, \(via.name), is \(verdict.rawValue)"))
        }
        return DomainReport(domain: "\(domain)", verdict: verdict, deliveringHost: verdict.delivers ? via.map { "\($0.name)" } : nil,
                            insecureMXPolicy: policy, mx: mx, hosts: reports, broken: broken, reasons: reasons,
                            advice: Advice.forDomain(verdict: verdict, mx: mx) + reports.flatMap { Advice.forHost($0, mx: mx, policy: options.insecureMXPolicy) })
    }

    /// One validated lookup, flattened for reporting; a lookup that cannot be run is
    /// `indeterminate` with the error's reason.
    struct Lookup: Sendable {
        var answer: Answer?
        var status: SecurityStatus
        var rcode: String
        var reasons: [ValidationReason]
        var error: String?
    }

    func lookUp(_ name: DomainName, _ type: RRType) async -> Lookup {
        do {
            let result = try await resolver.resolve(name, type)
            // A secure answer's chain from the anchor repeats in every lookup; its last step
            // says enough. Anything else keeps the whole chain: that is where the reason is.
            let reasons = result.status == .secure ? Array(result.reasons.suffix(1)) : result.reasons
            return Lookup(answer: result.value, status: result.status, rcode: "\(result.value.rcode)", reasons: reasons, error: nil)
        } catch {
            return Lookup(answer: nil, status: .indeterminate, rcode: "SERVFAIL", reasons: [], error: "\(name) \(type): \(error.reason)")
        }
    }
}

extension HostReport {
    static func skipped(name: DomainName, preference: UInt16) -> HostReport {
        HostReport(name: "\(name)", preference: preference, addresses: [], aliases: [], tlsaBase: nil,
                   tlsa: TLSAReport(status: "not-looked-up", queried: [], records: [], usable: [], reasons: []),
                   requirement: "not-probed", connections: [], verdict: .unreachable,
                   reasons: [ReasonReport(step: "host", status: "skipped", rule: "RFC 5321 §5.1", detail: "not probed: a more preferred host takes the mail (--first-only)")],
                   skipped: true)
    }
}

extension MailProbe {
    /// Checks many domains with at most `concurrency` in flight (child tasks of one task
    /// group), handing each report to `report` in completion order, with its index.
    public func checkAll(_ domains: [DomainName], concurrency: Int, report: (Int, DomainReport) -> Void) async {
        await withTaskGroup(of: (Int, DomainReport).self) { group in
            var next = 0
            func add() {
                guard next < domains.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await self.check(domains[index])) }
            }
            for _ in 0..<max(1, concurrency) { add() }
            while let (index, result) = await group.next() {
                report(index, result)
                add()
            }
        }
    }
}
