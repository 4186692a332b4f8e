import DNSCore
import DNSTransport
import DNSZoneFile
import DNSSEC
import Foundation

/// Where iterative resolution starts: the root's NS names and their addresses, read from a
/// zone file of NS and A/AAAA records (the `named.root` form, RFC 8109 §2).
public struct RootHints: Hashable, Sendable {
    public var nameservers: [DomainName]
    public var addresses: [DNSServerAddress]

    public init(nameservers: [DomainName], addresses: [DNSServerAddress]) {
        self.nameservers = nameservers
        self.addresses = addresses
    }

    /// Root NS records and the A/AAAA records of their targets; other records are ignored.
    public init(records: [ResourceRecord]) throws(ResolutionError) {
        let names = records.compactMap { $0.owner.isRoot ? $0.rdata.as(NS.self)?.target : nil }
        guard !names.isEmpty else { throw ResolutionError(.badConfiguration, "root hints have no NS records for \".\"") }
        var addresses: [DNSServerAddress] = []
        for record in records where names.contains(record.owner) {
            if let a = record.rdata.as(A.self) { addresses.append(DNSServerAddress(host: a.address.description)) }
            if let aaaa = record.rdata.as(AAAA.self) { addresses.append(DNSServerAddress(host: aaaa.address.description)) }
        }
        guard !addresses.isEmpty else { throw ResolutionError(.badConfiguration, "root hints give no address for the root servers") }
        self.init(nameservers: names, addresses: addresses)
    }

    public init(zoneFileText text: String) throws(ResolutionError) {
        try self.init(records: try ResolverFiles.records(text, what: "root hints"))
    }

    /// Every hint address is loopback: a lab, whose delegations may use private targets.
    public var isLoopbackLab: Bool { addresses.allSatisfy { TargetAddressPolicy.isLoopback($0.host) } }
}

/// Reading the resolver's input files (zone-file form).
public enum ResolverFiles {
    static func records(_ text: String, what: String) throws(ResolutionError) -> [ResourceRecord] {
        let result = ZoneFileParser(origin: .root, defaultTTL: 3600).parse(text: text)
        if let first = result.errors.first { throw ResolutionError(.badConfiguration, "\(what): \(first)") }
        return result.records
    }

    public static func read(_ path: String) throws(ResolutionError) -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ResolutionError(.badConfiguration, "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Trust anchors: DS or DNSKEY records in zone-file form (Unbound's `trust-anchor-file`).
    public static func trustAnchors(zoneFileText text: String) throws(ResolutionError) -> TrustAnchorSet {
        let anchors = TrustAnchorSet(records: try records(text, what: "trust anchors"))
        guard !anchors.isEmpty else { throw ResolutionError(.badConfiguration, "the trust anchor file has no DS or DNSKEY record") }
        return anchors
    }
}
