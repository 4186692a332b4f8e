import DNSCore

/// Authenticated denial of existence with NSEC (RFC 4035 §5.4, RFC 4034 §4, RFC 6840 §4).
///
/// Every function takes the NSEC records of one response that the caller has already verified
/// as signed by `zone` (the RRSIG signer name, i.e. the zone apex), each with the Labels field
/// of its RRSIG, and says what they prove. Records that cannot take part are left out with a
/// note (see `NSECRecord` and the rules on `NSECChain.init`). Pure: no I/O, no clock.
public enum NSECDenial {
    /// The proof for a negative answer: NXDOMAIN needs `nameError`; NOERROR with an empty
    /// answer needs `noData` (which also covers the empty non-terminal and, for QTYPE DS, an
    /// insecure delegation: `noDS`) or else `wildcardNoData`. Any other RCODE is no denial.
    public static func prove(qname: DomainName, qtype: RRType, rcode: RCode, zone: DomainName, records: [NSECRecord]) -> DenialProof {
        run(zone: zone, subject: qname, records: records) { chain in
            switch rcode {
            case .nxDomain:
                return nameError(qname: qname, chain: chain)
            case .noError:
                let direct = noData(qname: qname, qtype: qtype, chain: chain)
                if direct.kind != nil || chain.link(ownedBy: qname) != nil { return direct }
                let wildcard = wildcardNoData(qname: qname, qtype: qtype, chain: chain)
                if wildcard.kind != nil { return wildcard }
                return wildcard.prefixed(by: direct.reasons)
            default:
                return .bogus(.denialInvalid("RFC 4035 §5.4", "RCODE \(rcode) is neither NXDOMAIN nor NOERROR: no denial applies"))
            }
        }
    }

    /// Name error (RFC 4035 §5.4, §3.1.3.2): an NSEC covers QNAME, so no name lies between its
    /// owner and its next name, and an NSEC covers the wildcard `*.` + the closest encloser, so
    /// no wildcard could have answered instead. The closest encloser is the longest ancestor of
    /// QNAME that the records show to exist (`NSECChain.closestEncloser`). Bogus when an NSEC
    /// owns QNAME, when the covering NSEC's next name lies below QNAME (QNAME is then an empty
    /// non-terminal, which exists), when the only covering NSEC is a parent's zone-cut or DNAME
    /// NSEC above QNAME (RFC 6840 §4.1), or when the wildcard exists.
    public static func nameError(qname: DomainName, zone: DomainName, records: [NSECRecord]) -> DenialProof {
        run(zone: zone, subject: qname, records: records) { nameError(qname: qname, chain: $0) }
    }

    static func nameError(qname: DomainName, chain: NSECChain) -> DenialProof {
        let rule = "RFC 4035 §5.4"
        if chain.link(ownedBy: qname) != nil {
            return .bogus(.denialInvalid(rule, "an NSEC is owned by \(qname): the name exists"))
        }
        guard chain.covering(qname) != nil else {
            return .bogus(.denialMissing(rule, "no usable NSEC covers \(qname)"))
        }
        let encloser = chain.closestEncloser(of: qname)
        guard encloser != qname else {
            return .bogus(.denialInvalid(rule, "\(qname) is an empty non-terminal: names exist below it"))
        }
        if let wildcard = encloser.wildcardChild {
            if chain.link(ownedBy: wildcard) != nil {
                return .bogus(.denialInvalid(rule, "the wildcard \(wildcard) exists: it should have answered for \(qname)"))
            }
            guard chain.covering(wildcard) != nil else {
                return .bogus(.denialMissing(rule, "no NSEC covers the wildcard \(wildcard) at the closest encloser"))
            }
        }
        return .proved(.nameError, closestEncloser: encloser, rule: rule,
                       "\(qname) does not exist, nor the wildcard at its closest encloser \(encloser)")
    }

    /// No data (RFC 4035 §5.4, §3.1.3.1): the NSEC owned by QNAME lists the types present, and
    /// neither QTYPE nor CNAME is among them (RFC 6840 §4.3: without the CNAME check an attacker
    /// could turn a CNAME answer into NODATA); the NSEC and RRSIG bits are treated as set,
    /// since the NSEC proves that both exist (RFC 4035 §5.4). An empty non-terminal has no NSEC:
    /// it is proved by an NSEC covering QNAME whose next name is below QNAME (QNAME then exists,
    /// with no types; RFC 5155 App. B.2.1 notes the difference from NSEC3).
    ///
    /// A zone-cut NSEC (NS set, SOA clear) denies only DS at its owner (RFC 6840 §4.1); for
    /// QTYPE DS it proves an insecure delegation, `noDS` (RFC 4035 §5.2). An NSEC with SOA set
    /// comes from the child's apex and says nothing about the DS RRset, which lives only on the
    /// parent's side of the cut (RFC 4035 §3.1.4.1, App. B.8); only the root, which has no
    /// parent, may deny its own DS.
    public static func noData(qname: DomainName, qtype: RRType, zone: DomainName, records: [NSECRecord]) -> DenialProof {
        run(zone: zone, subject: qname, records: records) { noData(qname: qname, qtype: qtype, chain: $0) }
    }

    static func noData(qname: DomainName, qtype: RRType, chain: NSECChain) -> DenialProof {
        let rule = "RFC 4035 §5.4"
        if let match = chain.link(ownedBy: qname) {
            if match.types.withNSECAndRRSIG.contains(qtype) {
                return .bogus(.denialInvalid(rule, "the NSEC at \(qname) lists \(qtype): the data exists"))
            }
            if match.types.contains(.cname) {
                return .bogus(.denialInvalid("RFC 6840 §4.3", "the NSEC at \(qname) lists CNAME: the answer should have been the CNAME"))
            }
            if qtype == .ds {
                if match.types.contains(.soa) && !qname.isRoot {
                    return .bogus(.denialInvalid("RFC 4035 §3.1.4.1", "the NSEC at \(qname) has SOA set: it is the child's apex, and the DS RRset is the parent's"))
                }
                if match.isDelegation {
                    return .proved(.noDS, closestEncloser: qname, rule: "RFC 4035 §5.2",
                                   "the NSEC at the delegation \(qname) has NS set and DS clear: the child zone is unsigned")
                }
            } else if !match.mayDeny(qname, type: qtype) {
                return .bogus(.denialInvalid("RFC 6840 §4.1", "the NSEC at \(qname) is the parent's at a zone cut: it denies only DS"))
            }
            return .proved(.noData, closestEncloser: qname, rule: rule, "\(qname) exists without \(qtype) or CNAME")
        }
        if let cover = chain.covering(qname), cover.next.isStrictSubdomain(of: qname) {
            return .proved(.noData, closestEncloser: qname, rule: rule,
                           "\(qname) is an empty non-terminal (the next name \(cover.next) is below it)")
        }
        return .bogus(.denialMissing(rule, "no NSEC is owned by \(qname), and none shows it to be an empty non-terminal"))
    }

    /// Wildcard no data (RFC 4035 §3.1.3.4, §5.4): an NSEC covers QNAME, so QNAME does not
    /// exist, and the NSEC owned by `*.` + the closest encloser lists neither QTYPE nor CNAME
    /// (RFC 6840 §4.3), so the wildcard that would answer has no such data. The closest
    /// encloser is found as for `nameError`; an expanded wildcard NSEC counts under its real
    /// owner (`NSECRecord.signatureLabels`).
    public static func wildcardNoData(qname: DomainName, qtype: RRType, zone: DomainName, records: [NSECRecord]) -> DenialProof {
        run(zone: zone, subject: qname, records: records) { wildcardNoData(qname: qname, qtype: qtype, chain: $0) }
    }

    static func wildcardNoData(qname: DomainName, qtype: RRType, chain: NSECChain) -> DenialProof {
        let rule = "RFC 4035 §3.1.3.4"
        if chain.link(ownedBy: qname) != nil {
            return .bogus(.denialInvalid(rule, "an NSEC is owned by \(qname): the name exists, no wildcard applies"))
        }
        guard chain.covering(qname) != nil else {
            return .bogus(.denialMissing(rule, "no usable NSEC covers \(qname)"))
        }
        let encloser = chain.closestEncloser(of: qname)
        guard encloser != qname else {
            return .bogus(.denialInvalid(rule, "\(qname) is an empty non-terminal: no wildcard applies"))
        }
        guard let wildcard = encloser.wildcardChild, let match = chain.link(ownedBy: wildcard) else {
            return .bogus(.denialMissing(rule, "no NSEC is owned by the wildcard at the closest encloser \(encloser)"))
        }
        if match.types.withNSECAndRRSIG.contains(qtype) {
            return .bogus(.denialInvalid(rule, "the NSEC at \(wildcard) lists \(qtype): the wildcard should have answered"))
        }
        if match.types.contains(.cname) {
            return .bogus(.denialInvalid("RFC 6840 §4.3", "the NSEC at \(wildcard) lists CNAME: the answer should have been the CNAME"))
        }
        if !match.mayDeny(wildcard, type: qtype) {
            return .bogus(.denialInvalid("RFC 6840 §4.1", "the NSEC at \(wildcard) is a zone cut"))
        }
        return .proved(.wildcardNoData, closestEncloser: encloser, rule: rule,
                       "\(qname) does not exist and the wildcard \(wildcard) has no \(qtype) or CNAME")
    }

    /// Wildcard answer (RFC 4035 §5.3.4, §3.1.3.3): an answer whose RRSIG Labels field
    /// `labels` is below QNAME's label count was expanded from `*.` + QNAME's last `labels`
    /// labels, whose parent is the claimed closest encloser. The NSEC records must show that
    /// QNAME does not exist (an NSEC covers it) and that the closest encloser they show is that
    /// claimed one: a longer one means a closer name, the next closer name or one between,
    /// exists and a wildcard there, or nothing, should have answered (PowerDNS issue #17136
    /// checked the expanded QNAME instead). `labels` not below QNAME's count is not an
    /// expansion, and `labels` below the zone's label count claims a wildcard above the zone
    /// (the class of PowerDNS CVE-2026-52688): both bogus.
    public static func wildcardAnswer(qname: DomainName, labels: UInt8, zone: DomainName, records: [NSECRecord]) -> DenialProof {
        run(zone: zone, subject: qname, records: records) { chain in
            let rule = "RFC 4035 §5.3.4"
            guard let encloser = wildcardEncloser(qname: qname, labels: labels, zone: zone) else {
                return .bogus(ValidationReason(.labelsMismatch, rule: "RFC 4035 §5.3.1",
                                               "RRSIG Labels \(labels) is no wildcard expansion of \(qname) in zone \(zone)", ede: .dnssecBogus))
            }
            if chain.link(ownedBy: qname) != nil {
                return .bogus(.denialInvalid(rule, "an NSEC is owned by \(qname): the name exists, no wildcard applies"))
            }
            guard chain.covering(qname) != nil else {
                return .bogus(.denialMissing(rule, "no usable NSEC covers \(qname): nothing shows that the wildcard applies"))
            }
            let shown = chain.closestEncloser(of: qname)
            guard shown == encloser else {
                return .bogus(.denialInvalid(rule, "the records show \(shown) as the closest encloser of \(qname), not \(encloser): the wildcard \(encloser.wildcardChild.map { "\($0)" } ?? "*") did not apply"))
            }
            return .proved(.wildcardAnswer, closestEncloser: encloser, rule: rule,
                           "\(qname) does not exist and \(encloser) is its closest encloser")
        }
    }

    /// The closest encloser a wildcard expansion claims, or nil when `labels` is no expansion.
    static func wildcardEncloser(qname: DomainName, labels: UInt8, zone: DomainName) -> DomainName? {
        let count = Int(labels)
        guard count < qname.rrsigLabelCount, count >= zone.labelCount else { return nil }
        return qname.suffix(labelCount: count)
    }

    /// Insecure delegation (RFC 4035 §5.2, RFC 6840 §4.4): for a referral to `name` without a
    /// DS RRset, the NSEC owned by `name` must have NS set (there is a delegation: without this
    /// check a forged unsigned delegation could strip the signatures of an existing signed
    /// name), DS clear (there is no DS) and SOA clear (it is the parent's NSEC, not the child
    /// apex's). NSEC has no Opt-Out, so anything else is bogus.
    public static func delegation(name: DomainName, zone: DomainName, records: [NSECRecord]) -> DenialProof {
        run(zone: zone, subject: name, records: records) { chain in
            let rule = "RFC 6840 §4.4"
            guard name != zone else {
                return .bogus(.denialInvalid(rule, "\(name) is the zone's own apex, not a delegation from it"))
            }
            guard let match = chain.link(ownedBy: name) else {
                if chain.covering(name) != nil {
                    return .bogus(.denialInvalid(rule, "an NSEC covers \(name): the delegation does not exist"))
                }
                return .bogus(.denialMissing(rule, "no NSEC is owned by the delegation \(name)"))
            }
            if !match.types.contains(.ns) {
                return .bogus(.denialInvalid(rule, "the NSEC at \(name) has NS clear: there is no delegation"))
            }
            if match.types.contains(.soa) {
                return .bogus(.denialInvalid(rule, "the NSEC at \(name) has SOA set: it is the child's apex, not the parent's zone cut"))
            }
            if match.types.contains(.ds) {
                return .bogus(.denialInvalid(rule, "the NSEC at \(name) has DS set: the delegation is signed"))
            }
            return .proved(.noDS, closestEncloser: name, rule: rule, "the delegation \(name) has no DS: the child zone is unsigned")
        }
    }

    /// Common checks, then `body` over the usable records; the chain's notes go first.
    private static func run(zone: DomainName, subject: DomainName, records: [NSECRecord], _ body: (NSECChain) -> DenialProof) -> DenialProof {
        guard subject.isSubdomain(of: zone) else {
            return .bogus(.denialInvalid("RFC 4035 §5.4", "\(subject) is not in zone \(zone): its NSEC records cannot deny it"))
        }
        let chain = NSECChain(zone: zone, records: records)
        return body(chain).prefixed(by: chain.notes)
    }
}
