import DNSCore
import DNSSEC
import DNSTransport

/// A zone as the resolver knows it from a referral: its name, its servers, and what the
/// parent said about its DS.
struct ZoneCut: Sendable {
    var name: DomainName
    var parent: DomainName?
    var nameservers: [DomainName]
    /// In-bailiwick glue only: addresses of NS targets inside the zone that sent the referral.
    var glue: [DNSServerAddress]
    var ds: SignedRRSet?
    var denial: [SignedRRSet]
}

/// The zone cuts learnt so far (the root from the hints). Bounded like `SharedLookups`:
/// past `capacity` cuts the least recently used go (never the root), down to 90 %; a cut
/// forgotten is learnt again from the next referral.
actor ZoneCutStore {
    private var cuts: [DomainName: (cut: ZoneCut, lastUse: UInt64)] = [:]
    private var useCounter: UInt64 = 0
    let capacity: Int

    init(root: ZoneCut, capacity: Int = .max) {
        self.capacity = max(2, capacity)
        cuts[.root] = (root, 0)
    }

    /// The deepest known cut at or above `name` (strictly above when `above`, for DS, which
    /// the parent serves: RFC 4035 §3.1.4.1).
    func closest(to name: DomainName, above: Bool) -> ZoneCut? {
        var current: DomainName? = above ? name.parent : name
        while let candidate = current {
            if let cut = use(candidate) { return cut }
            current = candidate.parent
        }
        return nil
    }

    func cut(_ name: DomainName) -> ZoneCut? { use(name) }

    private func use(_ name: DomainName) -> ZoneCut? {
        guard let entry = cuts[name] else { return nil }
        useCounter += 1
        cuts[name] = (entry.cut, useCounter)
        return entry.cut
    }

    func setParent(of name: DomainName, to parent: DomainName) { cuts[name]?.cut.parent = parent }

    func store(_ cut: ZoneCut) {
        useCounter += 1
        if var existing = cuts[cut.name]?.cut {
            if existing.ds == nil, existing.denial.isEmpty {
                existing.ds = cut.ds
                existing.denial = cut.denial
            }
            if existing.glue.isEmpty { existing.glue = cut.glue }
            cuts[cut.name] = (existing, useCounter)
        } else {
            cuts[cut.name] = (cut, useCounter)
            if cuts.count > capacity { evict() }
        }
    }

    private func evict() {
        let target = capacity - capacity / 10
        let victims = cuts.filter { !$0.key.isRoot }.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(max(0, cuts.count - target))
        for victim in victims { cuts[victim.key] = nil }
    }

    var count: Int { cuts.count }
}

/// The RRsets of a message section with their covering RRSIGs.
func signedRRSets(_ records: [ResourceRecord], type: RRType) -> [SignedRRSet] {
    var owners: [DomainName] = []
    for record in records where record.type == type && !owners.contains(record.owner) { owners.append(record.owner) }
    return owners.compactMap { SignedRRSet(owner: $0, type: type, from: records) }
}
