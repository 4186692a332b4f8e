import DNSCore

/// The usable NSEC records of one response for one zone, with the owner each really has.
struct NSECChain {
    /// One NSEC: the interval from `owner` to `next` in canonical order, and the types at
    /// `owner`.
    struct Link {
        /// The owner the zone signed: the RRSIG's wildcard when the NSEC was expanded.
        let owner: DomainName
        let next: DomainName
        let types: TypeBitmap
        /// True for the last NSEC of the zone, whose next name is the apex.
        let wrapsAround: Bool
        /// NS without SOA: an NSEC at a zone cut, made by the parent.
        var isDelegation: Bool { types.contains(.ns) && !types.contains(.soa) }

        /// Canonical order (RFC 4034 §6.1) with strict bounds: `owner < name < next`, or for the
        /// last NSEC of the zone (next name = the apex, so `next <= owner`) `name > owner` or
        /// `name < next`; a name equal to the owner or to the next name is never covered. This
        /// is only the interval; whether the record may deny the name is `mayDeny`.
        func covers(_ name: DomainName) -> Bool {
            if wrapsAround { return owner < name || name < next }
            return owner < name && name < next
        }

        /// RFC 6840 §4.1, the "ancestor delegation" rule: an NSEC with NS set and SOA clear was
        /// made by the parent at a zone cut, and MUST NOT be used to deny anything below that
        /// cut: any name below its owner, or any type at its owner other than DS. Likewise an
        /// NSEC with the DNAME bit set MUST NOT deny any name below its owner. `type` is the
        /// type to be denied at the owner (nil when `name` is not the owner).
        func mayDeny(_ name: DomainName, type: RRType? = nil) -> Bool {
            if name == owner { return !isDelegation || type == .ds }
            if name.isSubdomain(of: owner) { return !isDelegation && !types.contains(.dname) }
            return true
        }
    }

    let zone: DomainName
    private(set) var links: [Link] = []
    /// Why records were left out.
    private(set) var notes: [ValidationReason] = []

    /// Keeps the records that can take part in a proof for `zone`:
    /// - the owner is the one the zone signed: when the RRSIG Labels field is smaller than the
    ///   owner's label count the NSEC was expanded from the wildcard `*.` + the owner's last
    ///   `labels` labels (RFC 4035 §5.3.2), and that wildcard is its owner here, never the
    ///   expanded name (CVE-2017-15105); Labels above the owner's count, or below the zone's,
    ///   leave the record out (RFC 4035 §5.3.1);
    /// - the owner and the next name are in the zone: the next name is "the next owner name
    ///   (in the canonical ordering of the zone)" (RFC 4034 §4.1.1), so one outside the zone is
    ///   invalid (Knot Resolver 6.4.1 refused these for its aggressive cache); names compare
    ///   case-insensitively, as the next name keeps its case (RFC 6840 §5.1);
    /// - only the zone's last NSEC may point back, and then only to the apex (RFC 4034 §4.1.1).
    init(zone: DomainName, records: [NSECRecord]) {
        self.zone = zone
        for record in records {
            let signed = Int(record.signatureLabels)
            let ownerLabels = record.owner.rrsigLabelCount
            var owner = record.owner
            if signed > ownerLabels {
                notes.append(.ignored(.labelsMismatch, "RFC 4035 §5.3.1",
                                      "NSEC at \(record.owner) ignored: RRSIG Labels \(signed) exceeds the owner's \(ownerLabels)"))
                continue
            }
            if signed < ownerLabels {
                guard signed >= zone.labelCount, let wildcard = record.owner.suffix(labelCount: signed).wildcardChild else {
                    notes.append(.ignored(.labelsMismatch, "RFC 4035 §5.3.1",
                                          "NSEC at \(record.owner) ignored: RRSIG Labels \(signed) is below the zone \(zone)"))
                    continue
                }
                owner = wildcard
                notes.append(.ignored(.labelsMismatch, "RFC 4035 §5.3.2",
                                      "NSEC at \(record.owner) was expanded from \(wildcard) (RRSIG Labels \(signed)); \(wildcard) is used as its owner"))
            }
            let next = record.nsec.nextDomainName
            guard owner.isSubdomain(of: zone) else {
                notes.append(.ignored(.denialInvalid, "RFC 4035 §5.3.1", "NSEC at \(owner) ignored: not in zone \(zone)"))
                continue
            }
            guard next.isSubdomain(of: zone) else {
                notes.append(.ignored(.denialInvalid, "RFC 4034 §4.1.1",
                                      "NSEC at \(owner) ignored: next name \(next) is outside zone \(zone)"))
                continue
            }
            let wraps = !(owner < next)
            if wraps && next != zone {
                notes.append(.ignored(.denialInvalid, "RFC 4034 §4.1.1",
                                      "NSEC at \(owner) ignored: next name \(next) does not follow it and is not the apex"))
                continue
            }
            links.append(Link(owner: owner, next: next, types: record.nsec.types, wrapsAround: wraps))
        }
    }

    /// The NSEC whose owner is `name`.
    func link(ownedBy name: DomainName) -> Link? {
        links.first { $0.owner == name }
    }

    /// An NSEC that covers `name` and may deny it (see `Link.covers`, `Link.mayDeny`).
    func covering(_ name: DomainName) -> Link? {
        links.first { $0.covers(name) && $0.mayDeny(name) }
    }

    /// The closest encloser of `name` (RFC 4592 §3.3.1: the longest existing ancestor, empty
    /// non-terminals included) as far as the records show it. Every NSEC owner and next name
    /// exists, and so do their ancestors; with NSEC an empty non-terminal has no record of its
    /// own, so it shows up only as an ancestor of some owner or next name. In a consistent zone
    /// the NSEC covering `name` holds the answer (its owner precedes `name` and its next name
    /// follows it, so any existing ancestor of `name` is an ancestor of one of them, RFC 4035
    /// §5.4); the longest match over all the records is taken so a mixed set cannot make it
    /// shorter. Returns `name` itself when the records show that `name` exists.
    func closestEncloser(of name: DomainName) -> DomainName {
        var longest = zone.labelCount
        for link in links {
            longest = max(longest, name.commonSuffixLabelCount(with: link.owner), name.commonSuffixLabelCount(with: link.next))
        }
        return name.suffix(labelCount: min(longest, name.labelCount))
    }
}
