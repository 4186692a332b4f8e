import DNSCore

extension ChainEvaluator {
    /// A delegation without DS. Until the NSEC/NSEC3 proofs are wired in, such a delegation
    /// cannot be judged, which RFC 4035 §4.3 calls indeterminate (never insecure: an absent
    /// DS without proof must not downgrade the child).
    func provesNoDS(_ delegation: Delegation, parentKeys: ZoneKeySet, work: inout ValidationWork) -> Validated<Void> {
        Validated((), status: .indeterminate, reasons: [ValidationReason(
            .denialMissing, rule: "RFC 4035 §5.2", "no DS for \(delegation.child) and its denial was not evaluated", ede: .dnssecIndeterminate)])
    }
}
