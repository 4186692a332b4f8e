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
    enum Section: UInt8 { case answer, authority, additional }

    /// Adds `records` (one RRset, or the RRSIGs over the RRset added just before, which join
    /// its unit) unless the same RRset is already in the section.
    mutating func add(_ records: [ResourceRecord], to section: Section, required: Bool) {
        guard let first = records.first else { return }
        let covered = first.rdata.as(RRSIG.self)?.typeCovered
        guard !contains(owner: first.owner, type: first.type, covered: covered, in: section) else { return }
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

    /// Whether the section has this RRset (or, with `covered`, the RRSIGs over that type).
    /// A linear scan: a response has a handful of RRsets, and hashing names costs more.
    func contains(owner: DomainName, type: RRType, covered: RRType? = nil, in section: Section) -> Bool {
        let units: [ResponseUnit]
        switch section {
        case .answer: units = answer
        case .authority: units = authority
        case .additional: units = additional
        }
        for unit in units {
            for record in unit.records where record.type == type {
                if let covered, record.rdata.as(RRSIG.self)?.typeCovered != covered { continue }
                if record.owner == owner { return true }
            }
        }
        return false
    }
}
