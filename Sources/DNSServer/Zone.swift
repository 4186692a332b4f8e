import DNSCore
import DNSSEC

/// One zone as an authoritative server holds it (RFC 1034 §4.2.1): the records from the apex
/// down to the zone cuts (and the glue below them), indexed by owner, with empty non-terminals
/// made explicit and the NSEC or NSEC3 chain sorted for the proofs of RFC 4035 §3.1.3 and
/// RFC 5155 §7.2.
public struct Zone: Sendable {
    public let origin: DomainName
    var nodes: [DomainName: ZoneNode]
    /// NSEC3 RRsets and their RRSIGs, kept apart: NSEC3 owner names are not names of the zone
    /// (RFC 5155 §7.2.8 has them answered as if they did not exist).
    var nsec3Nodes: [DomainName: ZoneNode]
    /// The apex SOA record.
    public let soa: ResourceRecord
    /// Owners of NSEC RRsets in canonical order (RFC 4034 §6.1).
    let nsecOwners: [DomainName]
    /// The NSEC3 chain of the zone's NSEC3PARAM parameters, sorted by hash.
    let nsec3: ZoneNSEC3Index?
    /// Number of records (RRSIGs included) loaded.
    public let recordCount: Int

    /// How the zone proves non-existence.
    public enum Denial: Sendable, Hashable {
        case none
        case nsec
        case nsec3(NSEC3Parameters)
    }

    /// Builds the zone from its records. Records outside `origin` are refused (RFC 1035 §5.2);
    /// so is a zone without an SOA at its origin.
    public init(origin: DomainName, records: [ResourceRecord]) throws(ZoneLoadError) {
        self.origin = origin
        var nodes: [DomainName: ZoneNode] = [:]
        var nsec3Nodes: [DomainName: ZoneNode] = [:]
        nodes.reserveCapacity(records.count)
        for record in records {
            guard record.owner.isSubdomain(of: origin) else {
                throw ZoneLoadError(.outOfZone, zone: origin, "\(record.owner) \(record.type) is outside the zone")
            }
            if record.type == .nsec3 || record.rdata.as(RRSIG.self)?.typeCovered == .nsec3 {
                nsec3Nodes[record.owner, default: ZoneNode()].add(record)
            } else {
                nodes[record.owner, default: ZoneNode()].add(record)
            }
        }
        guard let soa = nodes[origin]?.rrsets[.soa]?.first else {
            throw ZoneLoadError(.missingSOA, zone: origin, "no SOA record at the zone apex")
        }
        // Empty non-terminals: every name between an owner and the apex exists (RFC 4592 §2.2.2).
        let originLabels = origin.labelCount
        for owner in Array(nodes.keys) {
            var name = owner
            while name.labelCount > originLabels + 1, let parent = name.parent {
                if nodes[parent] != nil { break }
                nodes[parent] = ZoneNode()
                name = parent
            }
        }
        self.nodes = nodes
        self.nsec3Nodes = nsec3Nodes
        self.soa = soa
        self.recordCount = records.count
        self.nsecOwners = nodes.compactMap { $0.value.has(.nsec) ? $0.key : nil }.sorted()
        self.nsec3 = ZoneNSEC3Index(origin: origin, apex: nodes[origin], nsec3Nodes: nsec3Nodes)
    }

    public var denial: Denial {
        if let nsec3 { return .nsec3(nsec3.parameters) }
        return nsecOwners.isEmpty ? .none : .nsec
    }

    /// Whether the zone is signed (has RRSIGs over its SOA).
    public var isSigned: Bool { nodes[origin]?.signatures[.soa] != nil }

    func node(_ name: DomainName) -> ZoneNode? { nodes[name] }

    /// Every record of the zone, RRSIGs included, in canonical order (RFC 4034 §6.1).
    public var allRecords: [ResourceRecord] {
        var all: [ResourceRecord] = []
        for node in Array(nodes.values) + Array(nsec3Nodes.values) {
            for records in node.rrsets.values { all += records }
            for records in node.signatures.values { all += records }
        }
        return all.sorted(by: ResourceRecord.canonicalOrder)
    }

    /// The RRset of `type` at `name`, if the zone has one.
    public func rrset(_ name: DomainName, _ type: RRType) -> [ResourceRecord]? { nodes[name]?.rrsets[type] }

    /// The owner of the NSEC record that matches or covers `name` (RFC 4035 §3.1.3): the last
    /// NSEC owner at or before `name` in canonical order, wrapping to the last one.
    func nsecOwner(matchingOrCovering name: DomainName) -> DomainName? {
        guard !nsecOwners.isEmpty else { return nil }
        var low = 0, high = nsecOwners.count
        while low < high {
            let mid = (low + high) / 2
            if DomainName.canonicalCompare(nsecOwners[mid], name) <= 0 { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nsecOwners.last : nsecOwners[low - 1]
    }

    /// The SOA for negative answers, with TTL the lesser of its own TTL and its MINIMUM field
    /// (RFC 2308 §3, as RFC 9077 §3 restates), and its RRSIGs likewise.
    var negativeSOA: (soa: [ResourceRecord], signatures: [ResourceRecord]) {
        let minimum = soa.rdata.as(SOA.self)?.minimum ?? soa.ttl
        let ttl = min(soa.ttl, minimum)
        var record = soa
        record.ttl = ttl
        let signatures = (nodes[origin]?.signatures[.soa] ?? []).map { sig in
            var sig = sig
            sig.ttl = min(sig.ttl, ttl)
            return sig
        }
        return ([record], signatures)
    }
}

/// The hash parameters of an NSEC3 chain (RFC 5155 §4: NSEC3PARAM at the apex).
public struct NSEC3Parameters: Sendable, Hashable {
    public var hashAlgorithm: NSEC3HashAlgorithm
    public var iterations: UInt16
    public var salt: [UInt8]

    public init(hashAlgorithm: NSEC3HashAlgorithm = .sha1, iterations: UInt16, salt: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.iterations = iterations
        self.salt = salt
    }

    /// H(name) per RFC 5155 §5.
    func hash(_ name: DomainName) -> [UInt8] {
        NSEC3Hash.hash(name: name, salt: salt, iterations: iterations)
    }
}

/// The NSEC3 records of one parameter set, sorted by owner hash (RFC 5155 §7.2 proofs need
/// "matches" and "covers" lookups).
struct ZoneNSEC3Index: Sendable {
    let parameters: NSEC3Parameters
    /// (hash of the owner, owner name), ascending by hash.
    let entries: [(hash: [UInt8], owner: DomainName)]

    /// The chain named by the apex NSEC3PARAM (RFC 5155 §4), or by the first NSEC3 record when
    /// there is no NSEC3PARAM; nil for a zone without NSEC3 (or with an unknown hash algorithm).
    init?(origin: DomainName, apex: ZoneNode?, nsec3Nodes nodes: [DomainName: ZoneNode]) {
        var parameters: NSEC3Parameters?
        if let param = apex?.rrsets[.nsec3param]?.compactMap({ $0.rdata.as(NSEC3PARAM.self) })
            .first(where: { $0.hashAlgorithm == .sha1 }) {
            parameters = NSEC3Parameters(hashAlgorithm: param.hashAlgorithm, iterations: param.iterations, salt: param.salt)
        }
        var entries: [(hash: [UInt8], owner: DomainName)] = []
        for (owner, node) in nodes {
            guard let records = node.rrsets[.nsec3], owner.parent == origin,
                  let label = owner.labels.first, let hash = Base32Hex.decode(label) else { continue }
            for record in records {
                guard let nsec3 = record.rdata.as(NSEC3.self), nsec3.hashAlgorithm == .sha1 else { continue }
                if parameters == nil {
                    parameters = NSEC3Parameters(hashAlgorithm: nsec3.hashAlgorithm, iterations: nsec3.iterations, salt: nsec3.salt)
                }
                if nsec3.iterations == parameters?.iterations, nsec3.salt == parameters?.salt {
                    entries.append((hash, owner))
                    break
                }
            }
        }
        guard let parameters, !entries.isEmpty else { return nil }
        self.parameters = parameters
        self.entries = entries.sorted { $0.hash.lexicographicallyPrecedes($1.hash) }
    }

    /// The NSEC3 owner whose hash equals H(`name`).
    func owner(matching name: DomainName) -> DomainName? {
        owner(matchingHash: parameters.hash(name))
    }

    func owner(matchingHash hash: [UInt8]) -> DomainName? {
        let index = lowerBound(hash)
        guard index < entries.count, entries[index].hash == hash else { return nil }
        return entries[index].owner
    }

    /// The NSEC3 owner whose span covers H(`name`) (RFC 5155 §3.1.7: hash of the owner < H <
    /// next hashed owner, wrapping at the end of the chain); nil when H(`name`) matches one.
    func owner(covering name: DomainName) -> DomainName? {
        let hash = parameters.hash(name)
        let index = lowerBound(hash)
        if index < entries.count, entries[index].hash == hash { return nil }
        return index == 0 ? entries.last?.owner : entries[index - 1].owner
    }

    /// First index whose hash is ≥ `hash`.
    private func lowerBound(_ hash: [UInt8]) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].hash.lexicographicallyPrecedes(hash) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
