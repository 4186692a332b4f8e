import DNSCore

/// What a set of NSEC or NSEC3 records proves about a name: the verdict of `NSECDenial` and
/// `NSEC3Denial` (authenticated denial of existence, RFC 4035 §5.4, RFC 5155 §8).
///
/// The records must already carry verified signatures by the zone named as `zone` (the RRSIG
/// signer name); these functions check only what the records say, never a signature.
///
/// Status:
/// - `secure`: `kind` is proved.
/// - `insecure`: either `kind` is proved only as far as an NSEC3 Opt-Out span allows (RFC 5155
///   §9.2: no AD bit when the NSEC3 covering the next closer name has Opt-Out set; `kind` is
///   then set), or nothing could be checked for a reason that is not an attack: NSEC3
///   iterations over the limit (RFC 9276 §3.2, EDE 27) or only NSEC3 records of an unknown hash
///   algorithm (RFC 5155 §8.1); `kind` is then nil.
/// - `bogus`: nothing is proved (`kind` is nil); the last reason says why, with EDE 12 (NSEC
///   Missing) when a needed record is absent and EDE 6 (DNSSEC Bogus) when the records show the
///   opposite or the work budget ran out.
///
/// `kind` must be read against the response: the caller checks that a `nameError` comes with
/// RCODE NXDOMAIN and the other kinds with NOERROR (the `prove` functions take the RCODE for
/// that reason). An aggressive cache (RFC 8198) may reuse only `secure` proofs: an insecure
/// one rests on an Opt-Out span, which says nothing about the unsigned names inside it.
public struct DenialProof: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// QNAME does not exist and no wildcard could have answered (RFC 4035 §5.4, RFC 5155
        /// §8.4).
        case nameError
        /// QNAME exists (possibly as an empty non-terminal) without QTYPE and without a CNAME
        /// (RFC 4035 §5.4, RFC 5155 §8.5, RFC 6840 §4.3).
        case noData
        /// QNAME does not exist, and the wildcard at its closest encloser exists without QTYPE
        /// and without a CNAME (RFC 4035 §3.1.3.4, RFC 5155 §8.7).
        case wildcardNoData
        /// A wildcard-expanded answer was the right one: QNAME does not exist and no name
        /// between it and the wildcard's parent does (RFC 4035 §5.3.4, RFC 5155 §8.8).
        case wildcardAnswer
        /// A delegation exists here without a DS RRset: the child zone is unsigned (RFC 4035
        /// §5.2, RFC 6840 §4.4, RFC 5155 §8.9). The proof itself is secure; what it proves is
        /// that the child is insecure.
        case noDS
        /// No DS for a name inside an NSEC3 Opt-Out span: it may be an unsigned delegation,
        /// whose existence is not proved (RFC 5155 §6, §8.6, §8.9); always `insecure`.
        case optOutNoDS
    }

    /// What was proved; nil if nothing.
    public var kind: Kind?
    public var status: SecurityStatus
    /// Notes on records that were ignored, then the verdict.
    public var reasons: [ValidationReason]
    /// The closest (provable) encloser the proof established: the wildcard's parent for the
    /// wildcard kinds, QNAME itself for `noData`, the delegation name for `noDS`.
    public var closestEncloser: DomainName?

    public init(kind: Kind?, status: SecurityStatus, reasons: [ValidationReason], closestEncloser: DomainName?) {
        self.kind = kind
        self.status = status
        self.reasons = reasons
        self.closestEncloser = closestEncloser
    }

    /// The Extended DNS Error of the step that decided a non-secure status (the last reason that
    /// names one).
    public var extendedError: ExtendedDNSErrorCode? {
        reasons.last(where: { $0.extendedError != nil })?.extendedError
    }

    /// The code of the deciding step (the last reason).
    public var code: ValidationReason.Code? { reasons.last?.code }
}

/// An NSEC RR whose signature the caller has verified, with the Labels field of that RRSIG.
public struct NSECRecord: Hashable, Sendable {
    public var owner: DomainName
    public var nsec: NSEC
    /// The Labels field of the RRSIG that verified this NSEC (RFC 4034 §3.1.3). Fewer labels
    /// than the owner has means the server expanded the NSEC from a wildcard: its real owner is
    /// `*.` plus that many of the owner's last labels, and that is the owner used here (the
    /// lesson of CVE-2017-15105: the expanded owner name is the querier's, not the zone's).
    public var signatureLabels: UInt8

    public init(owner: DomainName, nsec: NSEC, signatureLabels: UInt8) {
        self.owner = owner
        self.nsec = nsec
        self.signatureLabels = signatureLabels
    }
}

/// An NSEC3 RR whose signature the caller has verified, with the Labels field of that RRSIG.
public struct NSEC3Record: Hashable, Sendable {
    public var owner: DomainName
    public var nsec3: NSEC3
    /// The Labels field of the RRSIG that verified this NSEC3 (RFC 4034 §3.1.3). An NSEC3 owner
    /// is never a wildcard (RFC 5155 §3), so a value other than the owner's label count means a
    /// wildcard-expanded NSEC3, which is ignored.
    public var signatureLabels: UInt8

    public init(owner: DomainName, nsec3: NSEC3, signatureLabels: UInt8) {
        self.owner = owner
        self.nsec3 = nsec3
        self.signatureLabels = signatureLabels
    }
}

// MARK: - Building verdicts

extension DenialProof {
    static func proved(_ kind: Kind, closestEncloser: DomainName?, rule: String, _ detail: String) -> DenialProof {
        DenialProof(kind: kind, status: .secure, reasons: [ValidationReason(.denialProved, rule: rule, detail)],
                    closestEncloser: closestEncloser)
    }

    static func bogus(_ reason: ValidationReason) -> DenialProof {
        DenialProof(kind: nil, status: .bogus, reasons: [reason], closestEncloser: nil)
    }

    /// A proof made insecure by the Opt-Out span its next closer name lies in (RFC 5155 §9.2).
    func optedOut(nextCloser: DomainName) -> DenialProof {
        var copy = self
        copy.status = .insecure
        copy.reasons.append(ValidationReason(
            .optOutDelegation, rule: "RFC 5155 §9.2",
            "the NSEC3 covering the next closer name \(nextCloser) has Opt-Out set: an unsigned delegation may exist there"
        ))
        return copy
    }

    /// `notes` first, then this proof's own reasons.
    func prefixed(by notes: [ValidationReason]) -> DenialProof {
        var copy = self
        copy.reasons = notes + reasons
        return copy
    }
}

extension ValidationReason {
    /// A record the proof needs is absent (EDE 12, NSEC Missing).
    static func denialMissing(_ rule: String, _ detail: String) -> ValidationReason {
        ValidationReason(.denialMissing, rule: rule, detail, ede: .nsecMissing)
    }

    /// The records show the opposite of the claim, or may not be used for it (EDE 6).
    static func denialInvalid(_ rule: String, _ detail: String) -> ValidationReason {
        ValidationReason(.denialInvalid, rule: rule, detail, ede: .dnssecBogus)
    }

    /// A record left out of the proof; a note, with no EDE of its own.
    static func ignored(_ code: Code, _ rule: String, _ detail: String) -> ValidationReason {
        ValidationReason(code, rule: rule, detail)
    }
}

extension DomainName {
    /// `*.` + self (RFC 4592 §2.1.1); nil when that exceeds 255 octets, in which case no
    /// wildcard can exist there.
    var wildcardChild: DomainName? {
        try? prepending(label: [UInt8(ascii: "*")])
    }

    /// Strictly below `other`.
    func isStrictSubdomain(of other: DomainName) -> Bool {
        self != other && isSubdomain(of: other)
    }
}

extension TypeBitmap {
    /// The bitmap with NSEC and RRSIG added: a validated NSEC proves that itself and its RRSIG
    /// exist, so their bits are ignored (RFC 4035 §5.4, last paragraph).
    var withNSECAndRRSIG: TypeBitmap {
        var copy = self
        copy.insert(.nsec)
        copy.insert(.rrsig)
        return copy
    }
}
