import DNSCore
import DNSSEC

/// Validated NSEC records remembered per zone, for aggressive use of the DNSSEC-validated
/// cache (RFC 8198): a later question whose name one of them covers, or whose type one of
/// them shows absent, is answered from them without a query.
///
/// Only records that took part in a `secure` NSEC proof are stored (RFC 8198 §5.1: never from
/// an insecure or bogus zone, and never NSEC3, so never across an Opt-Out span, RFC 8198
/// §4.3), each kept for min(its TTL, the SOA TTL and MINIMUM of the negative answer it came
/// with) (RFC 8198 §5.4, RFC 9077 §3). Records whose owner or next name lies outside the zone
/// are refused (RFC 4034 §4.1.1; DNSSEC-CASES 31, after Knot Resolver 6.4.1), and so are
/// wildcard-expanded ones (their owner is the querier's name, not the zone's).
///
/// Bounded like `SharedLookups`: past `capacity` records the expired go first, then the least
/// recently used, down to 90 %.
package actor AggressiveNSECCache {
    private struct Entry {
        var record: NSECRecord
        var expires: Int64
        var lastUse: UInt64
    }

    /// Zone apex → NSEC owner → entry.
    private var zones: [DomainName: [DomainName: Entry]] = [:]
    private var total = 0
    private var useCounter: UInt64 = 0
    let capacity: Int

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The NSEC records one may keep for `zone` (owner and next name in the zone, not a
    /// wildcard expansion).
    package static func storable(_ records: [NSECRecord], zone: DomainName) -> [NSECRecord] {
        records.filter { record in
            Int(record.signatureLabels) == record.owner.rrsigLabelCount && record.owner.isSubdomain(of: zone)
                && record.nsec.nextDomainName.isSubdomain(of: zone)
        }
    }

    /// Remembers `records` (already verified as signed by `zone` in a secure proof) for `ttl`
    /// seconds from `now`.
    func store(_ records: [NSECRecord], zone: DomainName, ttl: Int64, now: Int64) {
        guard ttl > 0 else { return }
        let kept = Self.storable(records, zone: zone)
        guard !kept.isEmpty else { return }
        var entries = zones[zone] ?? [:]
        for record in kept {
            useCounter += 1
            if entries[record.owner] == nil { total += 1 }
            entries[record.owner] = Entry(record: record, expires: now + ttl, lastUse: useCounter)
        }
        zones[zone] = entries
        if total > capacity { evict(now: now) }
    }

    /// The deepest zone enclosing `name` with live records, those records, and when the first
    /// of them expires. Expired records are dropped on the way.
    func closestZone(enclosing name: DomainName, now: Int64) -> (zone: DomainName, records: [NSECRecord], expires: Int64)? {
        var current: DomainName? = name
        while let zone = current {
            if var entries = zones[zone] {
                let before = entries.count
                entries = entries.filter { $0.value.expires > now }
                total -= before - entries.count
                if entries.isEmpty {
                    zones[zone] = nil
                } else {
                    useCounter += 1
                    for key in entries.keys { entries[key]?.lastUse = useCounter }
                    zones[zone] = entries
                    let expires = entries.values.map(\.expires).min() ?? now
                    return (zone, entries.values.map(\.record), expires)
                }
            }
            current = zone.parent
        }
        return nil
    }

    /// What `records` (cached secure NSECs of `zone`) prove about `qname`/`qtype`: a secure
    /// name error (a covering NSEC and one covering the wildcard at the closest encloser,
    /// RFC 8198 §5.2-5.3, RFC 4035 §3.1.3.2), a secure no-data (the NSEC owned by QNAME lists
    /// neither QTYPE nor CNAME, or QNAME is an empty non-terminal, RFC 8198 §5.2, RFC 6840
    /// §4.3), or a secure wildcard no-data (RFC 8198 §5.3); nil when they prove none, and the
    /// question must be asked. DS is never synthesised: it lives on the parent's side of a cut.
    package static func synthesize(qname: DomainName, qtype: RRType, zone: DomainName, records: [NSECRecord]) -> DenialProof? {
        guard qtype != .ds, qname.isSubdomain(of: zone) else { return nil }
        let usable = storable(records, zone: zone)
        guard !usable.isEmpty else { return nil }
        let candidates = [
            NSECDenial.nameError(qname: qname, zone: zone, records: usable),
            NSECDenial.noData(qname: qname, qtype: qtype, zone: zone, records: usable),
            NSECDenial.wildcardNoData(qname: qname, qtype: qtype, zone: zone, records: usable),
        ]
        return candidates.first { proof in
            guard proof.status == .secure, let kind = proof.kind else { return false }
            return kind == .nameError || kind == .noData || kind == .wildcardNoData
        }
    }

    private func evict(now: Int64) {
        for (zone, entries) in zones {
            let live = entries.filter { $0.value.expires > now }
            zones[zone] = live.isEmpty ? nil : live
        }
        var all: [(zone: DomainName, owner: DomainName, lastUse: UInt64)] = []
        for (zone, entries) in zones {
            for (owner, entry) in entries { all.append((zone, owner, entry.lastUse)) }
        }
        let target = capacity - capacity / 10
        if all.count > target {
            all.sort { $0.lastUse < $1.lastUse }
            for victim in all.prefix(all.count - target) {
                zones[victim.zone]?[victim.owner] = nil
                if zones[victim.zone]?.isEmpty == true { zones[victim.zone] = nil }
            }
        }
        total = zones.values.reduce(0) { $0 + $1.count }
    }

    /// Records kept (tests).
    package var count: Int { total }
}
