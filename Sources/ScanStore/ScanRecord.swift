import DANE
import Foundation
import MailProbe

/// One finished domain as the database stores it: the columns reports select and group by,
/// derived from the `DomainReport`, plus the report itself as `check --json`'s JSON line.
/// The on-disk form is this type, not `DomainReport`, so the report's schema can grow
/// without a migration.
public struct ScanRecord: Sendable, Hashable {
    public var domain: String
    public var verdict: String
    public var mxStatus: String
    public var mxImplicit: Bool
    public var nullMX: Bool
    public var mxHosts: Int
    /// Some host has TLSA records (whatever their DNSSEC status).
    public var hasTLSA: Bool
    /// Some host has TLSA records in a secure RRset (the ones RFC 7672 §2.2 applies).
    public var tlsaSecure: Bool
    /// Some connection established TLS after STARTTLS.
    public var starttls: Bool
    public var broken: Bool
    public var deliveringHost: String?
    public var reportJSON: String
    public var startedAt: Date
    public var finishedAt: Date

    public init(report: DomainReport, startedAt: Date, finishedAt: Date) {
        domain = ScanStore.key(report.domain)
        verdict = report.verdict.rawValue
        mxStatus = report.mx.status.rawValue
        mxImplicit = report.mx.implicit
        nullMX = report.mx.nullMX
        mxHosts = report.mx.hosts.count
        hasTLSA = report.hosts.contains { !$0.tlsa.records.isEmpty }
        tlsaSecure = report.hosts.contains { $0.tlsa.status == "secure" && !$0.tlsa.records.isEmpty }
        starttls = report.hosts.contains { $0.connections.contains { $0.starttls == "established" } }
        broken = report.broken
        deliveringHost = report.deliveringHost
        reportJSON = report.jsonLine()
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
