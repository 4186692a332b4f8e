import DNSCore

/// One RRset (or the RRSIGs over one RRset) as a unit of a response: RFC 2181 §9 has a
/// response carry whole RRsets, so truncation keeps or drops units, never single records.
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

    /// Adds `records` (one RRset or its RRSIGs) unless the same RRset is already in the section.
    mutating func add(_ records: [ResourceRecord], to section: Section, required: Bool) {
        guard let first = records.first else { return }
        let key = Key(section: section, owner: first.owner, type: first.type, covered: first.rdata.as(RRSIG.self)?.typeCovered)
        guard present.insert(key).inserted else { return }
        let unit = ResponseUnit(records: records, required: required)
        switch section {
        case .answer: answer.append(unit)
        case .authority: authority.append(unit)
        case .additional: additional.append(unit)
        }
    }

    func contains(owner: DomainName, type: RRType, in section: Section) -> Bool {
        present.contains(Key(section: section, owner: owner, type: type, covered: nil))
    }
}
