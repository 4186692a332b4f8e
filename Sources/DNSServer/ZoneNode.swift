import DNSCore

/// The data at one owner name of a zone: its RRsets by type, and the RRSIG records at that
/// name grouped by the type they cover (RFC 4034 §3: an RRSIG covers one RRset). An empty node
/// is an empty non-terminal (RFC 4592 §2.2.2): the name exists because names below it do.
struct ZoneNode: Sendable {
    /// Records of each RRset, TTLs unified to the lowest (RFC 2181 §5.2), duplicates removed.
    var rrsets: [RRType: [ResourceRecord]] = [:]
    var signatures: [RRType: [ResourceRecord]] = [:]

    var isEmptyNonTerminal: Bool { rrsets.isEmpty }

    func has(_ type: RRType) -> Bool { rrsets[type] != nil }

    /// The RRSIG records at this name, every covered type (a QTYPE=RRSIG answer).
    var allSignatures: [ResourceRecord] {
        signatures.keys.sorted().flatMap { signatures[$0] ?? [] }
    }

    /// The node's types in ascending order (for QTYPE=ANY answers).
    var types: [RRType] { rrsets.keys.sorted() }

    mutating func add(_ record: ResourceRecord) {
        if record.type == .rrsig, let rrsig = record.rdata.as(RRSIG.self) {
            var list = signatures[rrsig.typeCovered] ?? []
            if !list.contains(record) { list.append(record) }
            signatures[rrsig.typeCovered] = list
            return
        }
        var list = rrsets[record.type] ?? []
        if list.contains(where: { $0.rdata == record.rdata }) { return }
        list.append(record)
        let ttl = list.map(\.ttl).min() ?? record.ttl
        for i in list.indices { list[i].ttl = ttl }
        rrsets[record.type] = list
    }
}
