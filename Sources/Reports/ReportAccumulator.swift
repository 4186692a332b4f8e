import DANE
import DNSCore
import DNSSEC
import MailProbe

/// Adds `DomainReport`s up, one at a time, into a `ReportSummary`: constant memory however
/// many domains go through (counters and small distributions keyed by a bounded vocabulary:
/// verdict words, TLSA parameters, reason steps and rules — never domain or host names).
///
/// Any source feeds it: a `[DomainReport]`, JSON lines (`add(jsonLine:)`), or an
/// `AsyncSequence` of reports (a results database) through `summarize(_:)`.
public struct ReportAccumulator: Sendable {
    /// How many failure reasons the summary lists.
    public static let topReasons = 10

    private var counts = ReportSummary(
        domains: 0, withMX: 0, implicitMX: 0, nullMX: 0, signedMX: 0, withSignedMXHost: 0, withTLSA: 0, withUsableTLSA: 0,
        matching: 0, startTLSOffered: 0, delivering: 0, broken: 0, partialDANE: 0, rolloverReady: 0,
        hosts: 0, hostsInSignedZones: 0, hostsWithTLSA: 0, hostsWithUsableTLSA: 0, hostsMatching: 0, hostsStartTLSOffered: 0,
        hostsRolloverReady: 0, verdicts: [], failureReasons: [], tlsaParameters: [], dnssecAlgorithms: nil, unreadable: 0, notes: [])
    private var verdicts: [DANEVerdict: Int] = [:]
    private var reasons: [String: Int] = [:]
    private var parameters: [String: Int] = [:]
    /// Domains by the DNSSEC algorithm of their MX answer's signature (`13 ECDSAP256SHA256`).
    private var algorithms: [String: Int] = [:]
    /// Domains with a secure MX answer whose report records no algorithm.
    private var secureWithoutAlgorithm = 0

    public init() {}

    /// The summary of `reports`.
    public init(_ reports: some Sequence<DomainReport>) {
        self.init()
        for report in reports { add(report) }
    }

    /// Adds every report of `reports` and returns the summary: the entry point for any
    /// streaming source (JSON lines read in chunks, rows of a results database).
    public static func summarize<Reports: AsyncSequence>(_ reports: Reports) async throws -> ReportSummary
        where Reports.Element == DomainReport {
        var accumulator = ReportAccumulator()
        for try await report in reports { accumulator.add(report) }
        return accumulator.summary()
    }

    /// Counts a line that could not be read as a report.
    public mutating func addUnreadable() { counts.unreadable += 1 }

    public mutating func add(_ report: DomainReport) {
        counts.domains += 1
        verdicts[report.verdict, default: 0] += 1
        let mx = report.mx
        let mxUsable = mx.status == .secure || mx.status == .insecure
        if mx.nullMX {
            counts.nullMX += 1
        } else if mx.implicit {
            if mxUsable { counts.implicitMX += 1 }
        } else if mxUsable, !mx.hosts.isEmpty {
            counts.withMX += 1
        }
        if mx.status == .secure, !mx.nullMX, !report.hosts.isEmpty { counts.signedMX += 1 }
        // The algorithm of the signature that made the MX RRset (or its denial) secure: the
        // algorithm the mail domain's zone is signed with.
        if mx.status == .secure {
            if let number = mx.reasons.first(where: { $0.algorithm != nil })?.algorithm {
                algorithms["\(number) \(DNSSECAlgorithm(number))", default: 0] += 1
            } else {
                secureWithoutAlgorithm += 1
            }
        }
        if report.verdict.delivers { counts.delivering += 1 }
        if report.broken { counts.broken += 1 }

        var anySigned = false, anyTLSA = false, anyWithoutTLSA = false, anyUsable = false
        var anyMatch = false, anyStartTLS = false, allUsableReady = true
        for host in report.hosts where !host.skipped {
            counts.hosts += 1
            let signed = host.addresses.contains { $0.status == .secure && !$0.addresses.isEmpty }
            let hasTLSA = !host.tlsa.records.isEmpty
            let usable = host.tlsa.status == SecurityStatus.secure.rawValue && !host.tlsa.usable.isEmpty
            let matched = host.connections.contains { $0.match != nil }
            let offered = host.connections.contains { $0.starttls == "established" || $0.starttls == "failed" }
            if signed { counts.hostsInSignedZones += 1; anySigned = true }
            if hasTLSA { counts.hostsWithTLSA += 1; anyTLSA = true } else { anyWithoutTLSA = true }
            if usable {
                counts.hostsWithUsableTLSA += 1
                anyUsable = true
                if Self.rolloverReady(host.tlsa.usable) { counts.hostsRolloverReady += 1 } else { allUsableReady = false }
            }
            if matched { counts.hostsMatching += 1; anyMatch = true }
            if offered { counts.hostsStartTLSOffered += 1; anyStartTLS = true }
            for record in host.tlsa.records {
                parameters[Self.parameters(of: record) ?? "unreadable", default: 0] += 1
            }
        }
        if anySigned { counts.withSignedMXHost += 1 }
        if anyTLSA { counts.withTLSA += 1 }
        if anyTLSA, anyWithoutTLSA { counts.partialDANE += 1 }
        if anyUsable { counts.withUsableTLSA += 1 }
        if anyUsable, allUsableReady { counts.rolloverReady += 1 }
        if anyMatch { counts.matching += 1 }
        if anyStartTLS { counts.startTLSOffered += 1 }
        if let reason = Self.failureReason(of: report) { reasons[reason, default: 0] += 1 }
    }

    /// The summary of everything added so far.
    public func summary() -> ReportSummary {
        var result = counts
        result.verdicts = DANEVerdict.allCases.map { ReportSummary.Tally($0.rawValue, verdicts[$0] ?? 0) }
        result.failureReasons = Array(Self.ranked(reasons).prefix(Self.topReasons))
        result.tlsaParameters = Self.ranked(parameters)
        result.dnssecAlgorithms = algorithms.isEmpty && secureWithoutAlgorithm > 0 ? nil : Self.ranked(algorithms)
        result.notes = []
        if secureWithoutAlgorithm > 0 {
            result.notes.append("DNSSEC algorithms: not recorded for \(secureWithoutAlgorithm) domains with a signed MX lookup (reports written before daneprobe recorded them, or a secure denial)")
        }
        return result
    }

    /// Most frequent first, ties by key, so the order is the same on every run.
    static func ranked(_ counts: [String: Int]) -> [ReportSummary.Tally] {
        counts.map { ReportSummary.Tally($0.key, $0.value) }.sorted { ($0.count, $1.key) > ($1.count, $0.key) }
    }

    /// `3 1 1` from a record in presentation form (`3 1 1 ABCD…`), nil if it is not one.
    static func parameters(of record: String) -> String? {
        let fields = record.split(separator: " ", maxSplits: 3)
        guard fields.count >= 3, fields.prefix(3).allSatisfy({ UInt8($0) != nil }) else { return nil }
        return fields.prefix(3).joined(separator: " ")
    }

    /// Two or more usable records (current + next, RFC 7671 §8.1) or a DANE-TA(2) record
    /// (RFC 7671 §8.4: the leaf can change under the same issuer).
    static func rolloverReady(_ usable: [String]) -> Bool {
        usable.count >= 2 || usable.contains { parameters(of: $0)?.hasPrefix("2 ") == true }
    }

    /// The step that decided a failed or broken domain, as a bounded key (verdict, step,
    /// status, rule; never names): the last reason of the first deciding connection, else of
    /// the deciding host, else of the domain. Nil when the mail goes and nothing is broken, and
    /// for a domain that takes no mail.
    static func failureReason(of report: DomainReport) -> String? {
        let failed = !report.verdict.delivers && report.verdict != .noMail
        guard failed || report.broken else { return nil }
        let probed = report.hosts.filter { !$0.skipped }
        let host = failed ? (probed.first { $0.verdict == report.verdict } ?? probed.first { !$0.verdict.delivers })
                          : probed.first { !$0.verdict.delivers }
        let reason: ReasonReport?
        if let host {
            let connection = host.connections.first { $0.verdict == host.verdict }
            reason = connection?.reasons.last ?? host.reasons.last
        } else {
            reason = report.reasons.first { $0.step != "delivery" } ?? report.reasons.last
        }
        let verdict = host?.verdict ?? report.verdict
        guard let reason else { return verdict.rawValue }
        return "\(verdict.rawValue): \(reason.step) \(reason.status) (\(reason.rule))"
    }
}
