import DNSCore

extension ChainEvaluator {
    /// A delegation without a DS RRset is an insecure delegation only when the parent proves
    /// it (RFC 4035 §5.2): its NSEC or NSEC3 records must verify with the parent's keys and
    /// show the delegation with NS set and DS and SOA clear (RFC 6840 §4.4, RFC 5155 §8.9), or
    /// an NSEC3 Opt-Out span over it (RFC 5155 §6). Then the child is insecure. No proof, or
    /// one that fails, is bogus (an unproved missing DS must not downgrade the child); an
    /// NSEC3 iteration count over the limit is insecure (RFC 9276 §3.2, EDE 27).
    func provesNoDS(_ delegation: Delegation, parentKeys: ZoneKeySet, work: inout ValidationWork) -> Validated<Void> {
        var reasons: [ValidationReason] = []
        var nsecs: [NSECRecord] = []
        var nsec3s: [NSEC3Record] = []
        for signed in delegation.denial where signed.rrset.type == .nsec || signed.rrset.type == .nsec3 {
            let check = verifier.verify(signed.rrset, signatures: signed.signatures, keys: parentKeys, work: &work)
            reasons += check.reasons
            guard check.status == .secure, let labels = check.rrsig?.labels else {
                return Validated((), status: .bogus, reasons: reasons)
            }
            for rdata in signed.rrset.rdatas {
                if let nsec = rdata.as(NSEC.self) {
                    nsecs.append(NSECRecord(owner: signed.rrset.owner, nsec: nsec, signatureLabels: labels))
                } else if let nsec3 = rdata.as(NSEC3.self) {
                    nsec3s.append(NSEC3Record(owner: signed.rrset.owner, nsec3: nsec3, signatureLabels: labels))
                }
            }
        }
        let proof: DenialProof
        if !nsec3s.isEmpty {
            proof = NSEC3Denial.delegation(name: delegation.child, zone: parentKeys.zone, records: nsec3s, work: &work)
        } else if !nsecs.isEmpty {
            proof = NSECDenial.delegation(name: delegation.child, zone: parentKeys.zone, records: nsecs)
        } else {
            reasons.append(ValidationReason(.denialMissing, rule: "RFC 4035 §5.2",
                                            "no DS for \(delegation.child) and no NSEC or NSEC3 proving there is none", ede: .nsecMissing))
            return Validated((), status: .bogus, reasons: reasons)
        }
        reasons += proof.reasons
        switch (proof.kind, proof.status) {
        case (.noDS?, .secure):
            reasons.append(ValidationReason(.insecureDelegation, rule: "RFC 4035 §5.2",
                                            "\(delegation.child) is an unsigned delegation (no DS, proved)"))
            return Validated((), status: .insecure, reasons: reasons)
        case (.optOutNoDS?, _):
            reasons.append(ValidationReason(.optOutDelegation, rule: "RFC 5155 §6",
                                            "\(delegation.child) lies in an NSEC3 Opt-Out span: unsigned"))
            return Validated((), status: .insecure, reasons: reasons)
        case (_, .insecure):
            return Validated((), status: .insecure, reasons: reasons)
        default:
            return Validated((), status: .bogus, reasons: reasons)
        }
    }
}
