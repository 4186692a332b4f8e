import DNSCore

/// One RRset with the RRSIGs over it, as a unit of a response: RFC 2181 §9 has a response
/// carry whole RRsets, so truncation keeps or drops units, never single records (and never
/// an RRset without its signatures, RFC 4035 §3.1.1).
/// `required` units are ones whose absence must be signalled with TC=1 (the answer, the
/// proofs and SOA of a negative answer, a referral's NS and in-domain glue: RFC 2181 §9,
/// RFC 4035 §3.1.1, RFC 9471 §3); the others (the authority NS of a positive answer, other
/// additional data) are left out silently when they do not fit.
struct ResponseUnit: Sendable {
    var records: [ResourceRecord]
    var required: Bool
}

/// The sections of a response being assembled, before sizing and encoding.
struct ResponseDraft: Sendable {
    var rcode: RCode = .noError
    var authoritative = true
    var answer: [ResponseUnit] = []
    var authority: [ResponseUnit] = []
    var additional: [ResponseUnit] = []
    /// (section, owner, type) already present, so a proof or an address is added once.
    private var present: Set<Key> = []

    enum Section: UInt8 { case answer, authority, additional }

    private struct Key: Hashable {
        var section: Section
        var owner: DomainName
        var type: RRType
        var covered: RRType?
    }

    /// Adds `records` (one RRset, or the RRSIGs over the RRset added just before, which join
    /// its unit) unless the same RRset is already in the section.
    mutating func add(_ records: [ResourceRecord], to section: Section, required: Bool) {
        guard let first = records.first else { return }
        let covered = first.rdata.as(RRSIG.self)?.typeCovered
        let key = Key(section: section, owner: first.owner, type: first.type, covered: covered)
        guard present.insert(key).inserted else { return }
        func append(_ units: inout [ResponseUnit]) {
            if let covered, let last = units.last?.records.first, last.owner == first.owner, last.type == covered {
                units[units.count - 1].records += records
            } else {
                units.append(ResponseUnit(records: records, required: required))
            }
        }
        switch section {
        case .answer: append(&answer)
        case .authority: append(&authority)
        case .additional: append(&additional)
        }
    }

    func contains(owner: DomainName, type: RRType, in section: Section) -> Bool {
        present.contains(Key(section: section, owner: owner, type: type, covered: nil))
    }
}
