import DNSCore

/// What checking one RRset's signatures showed.
public struct RRSetVerification: Hashable, Sendable {
    /// `.secure` when a signature verified; `.bogus` otherwise (the caller decides, from the
    /// chain above, whether this zone was expected to be signed at all).
    public var status: SecurityStatus
    public var reasons: [ValidationReason]
    /// The RRSIG that verified.
    public var rrsig: RRSIG?
    /// For a wildcard expansion (RRSIG Labels < owner labels, RFC 4035 §5.3.2): the wildcard
    /// owner `*.<closest encloser>` that was signed, so the caller can demand the proof that
    /// the QNAME itself does not exist (RFC 4035 §5.3.4, RFC 5155 §8.8).
    public var wildcardOwner: DomainName?
}

/// Checks RRSIGs over an RRset with a zone's keys at a given time: RFC 4035 §5.3.
public struct RRSetVerifier: Sendable {
    public var window: ValidityWindowCheck
    /// Seconds since 1970-01-01T00:00:00Z: the moment of validation, injected.
    public var now: Int64

    public init(now: Int64, window: ValidityWindowCheck = ValidityWindowCheck()) {
        self.now = now
        self.window = window
    }

    /// RFC 4035 §5.3.1 checks each RRSIG before any cryptography:
    /// - it covers the RRset's type and has its owner and class;
    /// - the signer's name is the zone of the keys, and the owner is at or below it
    ///   (a parent's RRSIG over a child's data does not count);
    /// - the Labels field is at most the owner's label count (RFC 4034 §3.1.3); when smaller,
    ///   the owner was expanded from the wildcard `*.` + the rightmost Labels labels, which is
    ///   the owner the signature covers (RFC 4035 §5.3.2);
    /// - the validation time lies in [inception, expiration], in serial arithmetic (RFC 4034
    ///   §3.1.5), and inception is not after expiration (EDE 25);
    /// - a DNSKEY of the signer with the RRSIG's algorithm and key tag, with the Zone Key flag
    ///   (RFC 4034 §2.1.1; EDE 11 otherwise) and without REVOKE (RFC 5011 §2.1).
    /// Then the signature is verified over RRSIG RDATA (less the signature) ‖ the RRset in
    /// canonical form and order with the Original TTL (RFC 4034 §3.1.8.1, §6).
    ///
    /// Any one valid signature makes the RRset secure (RFC 6840 §5.11, RFC 4035 §5.3.3). Work
    /// is bounded by `work` (RRSIGs per RRset, keys per key tag, verifications, failures):
    /// running out is bogus with EDE 6 (the KeyTrap defence, CVE-2023-50387).
    public func verify(_ rrset: RRSet, signatures: [RRSIG], keys: ZoneKeySet, work: inout ValidationWork) -> RRSetVerification {
        var reasons: [ValidationReason] = []
        let subject = "\(rrset.owner) \(rrset.type)"
        let relevant = signatures.filter { $0.typeCovered == rrset.type }
        if relevant.isEmpty {
            return RRSetVerification(status: .bogus, reasons: [ValidationReason(
                .signatureMissing, rule: "RFC 4035 §5.3", "\(subject) has no RRSIG", ede: .rrsigsMissing)])
        }
        let ownerLabels = rrset.owner.labelCount
        var examined = 0
        for rrsig in relevant {
            if examined == work.budget.maxRRSIGsPerRRset {
                reasons.append(ValidationReason(.budgetExhausted, rule: "CVE-2023-50387 limit",
                                                "\(subject): more than \(examined) RRSIGs, the rest ignored", ede: .dnssecBogus))
                break
            }
            examined += 1
            let tagged = "\(subject) RRSIG \(rrsig.algorithm.rawValue)/\(rrsig.keyTag)"
            guard rrsig.signerName == keys.zone, rrset.owner.isSubdomain(of: rrsig.signerName) else {
                reasons.append(ValidationReason(.signerNotApex, rule: "RFC 4035 §5.3.1",
                                                "\(tagged): signer \(rrsig.signerName) is not the zone \(keys.zone) or does not contain the owner", ede: .dnssecBogus))
                continue
            }
            guard Int(rrsig.labels) <= ownerLabels, Int(rrsig.labels) >= rrsig.signerName.labelCount else {
                reasons.append(ValidationReason(.labelsMismatch, rule: "RFC 4035 §5.3.1",
                                                "\(tagged): Labels \(rrsig.labels) does not fit owner (\(ownerLabels) labels) and signer (\(rrsig.signerName.labelCount))", ede: .dnssecBogus))
                continue
            }
            switch window.check(inception: rrsig.inception, expiration: rrsig.expiration, now: now) {
            case .valid: break
            case .inverted:
                reasons.append(ValidationReason(.signatureWindowInverted, rule: "RFC 4035 §5.3.1",
                                                "\(tagged): inception is after expiration", ede: .signatureExpiredBeforeValid))
                continue
            case .notYetValid:
                reasons.append(ValidationReason(.signatureNotYetValid, rule: "RFC 4035 §5.3.1",
                                                "\(tagged): not valid before \(DNSSECTime.format(rrsig.inception))", ede: .signatureNotYetValid))
                continue
            case .expired:
                reasons.append(ValidationReason(.signatureExpired, rule: "RFC 4035 §5.3.1",
                                                "\(tagged): expired at \(DNSSECTime.format(rrsig.expiration))", ede: .signatureExpired))
                continue
            }
            let candidates = keys.candidates(for: rrsig)
            if candidates.isEmpty {
                reasons.append(ValidationReason(.keyMissing, rule: "RFC 4035 §5.3.1",
                                                "\(tagged): no DNSKEY with that tag and algorithm in \(keys.zone)", ede: .dnskeyMissing))
                continue
            }
            let wildcardOwner: DomainName? = Int(rrsig.labels) < ownerLabels
                ? try? rrset.owner.suffix(labelCount: Int(rrsig.labels)).prepending(label: [UInt8(ascii: "*")])
                : nil
            var tried = 0
            for candidate in candidates {
                guard candidate.dnskey.isZoneKey else {
                    reasons.append(ValidationReason(.keyNotZoneKey, rule: "RFC 4034 §2.1.1",
                                                    "\(tagged): DNSKEY \(candidate.keyTag) lacks the Zone Key flag", ede: .noZoneKeyBitSet))
                    continue
                }
                guard !candidate.dnskey.isRevoked else {
                    reasons.append(ValidationReason(.keyRevoked, rule: "RFC 5011 §2.1",
                                                    "\(tagged): DNSKEY \(candidate.keyTag) is revoked", ede: .dnssecBogus))
                    continue
                }
                let key: DNSSECPublicKey
                switch candidate.key {
                case .success(let parsed): key = parsed
                case .failure(let problem):
                    let code: ValidationReason.Code = switch problem {
                    case .unsupportedAlgorithm: .unsupportedAlgorithm
                    case .unsupportedKeySize: .keySizeUnsupported
                    case .malformed: .malformed
                    }
                    reasons.append(ValidationReason(code, rule: "RFC 4035 §5.2", "\(tagged): DNSKEY \(candidate.keyTag): \(problem)",
                                                    ede: code == .malformed ? .dnssecBogus : .unsupportedDNSKEYAlgorithm))
                    continue
                }
                if tried == work.budget.maxKeysPerKeyTag {
                    reasons.append(ValidationReason(.budgetExhausted, rule: "CVE-2023-50387 limit",
                                                    "\(tagged): more than \(tried) keys share key tag \(rrsig.keyTag)", ede: .dnssecBogus))
                    break
                }
                guard work.spendVerification() else {
                    reasons.append(ValidationReason(.budgetExhausted, rule: "CVE-2023-50387 limit",
                                                    "\(subject): signature verification budget exhausted", ede: .dnssecBogus))
                    return RRSetVerification(status: .bogus, reasons: reasons)
                }
                tried += 1
                let data = rrsig.signedFieldsWire + rrset.canonicalWire(ttl: rrsig.originalTTL, owner: wildcardOwner)
                if key.isValidSignature(rrsig.signature, for: data) {
                    reasons.append(ValidationReason(.signatureVerified, rule: "RFC 4035 §5.3",
                                                    "\(tagged) verified with DNSKEY \(candidate.keyTag)", algorithm: rrsig.algorithm))
                    return RRSetVerification(status: .secure, reasons: reasons, rrsig: rrsig, wildcardOwner: wildcardOwner)
                }
                work.recordFailure()
                reasons.append(ValidationReason(.signatureInvalid, rule: "RFC 4035 §5.3.3",
                                                "\(tagged): signature does not verify with DNSKEY \(candidate.keyTag)", ede: .dnssecBogus))
            }
        }
        return RRSetVerification(status: .bogus, reasons: reasons)
    }
}
