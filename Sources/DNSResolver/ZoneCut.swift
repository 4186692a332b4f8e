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

/// The zone cuts learnt so far (the root from the hints).
actor ZoneCutStore {
    private var cuts: [DomainName: ZoneCut] = [:]

    init(root: ZoneCut) { cuts[.root] = root }

    /// The deepest known cut at or above `name` (strictly above when `above`, for DS, which
    /// the parent serves: RFC 4035 §3.1.4.1).
    func closest(to name: DomainName, above: Bool) -> ZoneCut? {
        var current: DomainName? = above ? name.parent : name
        while let candidate = current {
            if let cut = cuts[candidate] { return cut }
            current = candidate.parent
        }
        return nil
    }

    func cut(_ name: DomainName) -> ZoneCut? { cuts[name] }

    func setParent(of name: DomainName, to parent: DomainName) { cuts[name]?.parent = parent }

    func store(_ cut: ZoneCut) {
        if var existing = cuts[cut.name] {
            if existing.ds == nil, existing.denial.isEmpty {
                existing.ds = cut.ds
                existing.denial = cut.denial
            }
            if existing.glue.isEmpty { existing.glue = cut.glue }
            cuts[cut.name] = existing
        } else {
            cuts[cut.name] = cut
        }
    }
}

/// The RRsets of a message section with their covering RRSIGs.
func signedRRSets(_ records: [ResourceRecord], type: RRType) -> [SignedRRSet] {
    var owners: [DomainName] = []
    for record in records where record.type == type && !owners.contains(record.owner) { owners.append(record.owner) }
    return owners.compactMap { SignedRRSet(owner: $0, type: type, from: records) }
}
