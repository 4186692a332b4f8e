import Testing
import DNSCore

/// RFC 4034 §6: canonical name order, canonical RR form, canonical RR ordering.
@Suite struct RFC4034_6_CanonicalFormTests {
    /// §6.1: the example list, in the RFC's order.
    @Test func section6_1_nameOrderExample() {
        let ordered: [DomainName] = [
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
            "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.",
        ]
        #expect(ordered.shuffled().sorted() == ordered)
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            #expect(a < b)
            #expect(!(b < a))
        }
    }

    /// §6.2: owner and the names inside RDATA of the listed types are lowercased; the wire
    /// form is uncompressed.
    @Test func section6_2_canonicalRRForm() {
        let record = ResourceRecord(owner: "WWW.Example.", ttl: 60, MX(preference: 5, exchange: "Mail.EXAMPLE."))
        let wire = record.canonicalWire
        #expect(wire == [3, 119, 119, 119, 7, 101, 120, 97, 109, 112, 108, 101, 0, 0, 15, 0, 1, 0, 0, 0, 60, 0, 16,
                         0, 5, 4, 109, 97, 105, 108, 7, 101, 120, 97, 109, 112, 108, 101, 0])
    }

    /// §6.2 item 3 as corrected by RFC 6840 §5.1: types outside the list keep RDATA case.
    @Test func section6_2_unlistedTypesKeepCase() throws {
        let rdata = try RData(type: RRType(731), text: "\\# 3 414243")
        #expect(rdata.canonicalWire == [0x41, 0x42, 0x43])
    }

    /// §6.3: RDATA sorted as octet strings, duplicates removed.
    @Test func section6_3_rrOrderingAndDuplicates() {
        let set = RRSet(owner: "example.", type: .a, ttl: 60, rdatas: [
            RData(A(IPv4Address(192, 0, 2, 2))), RData(A(IPv4Address(10, 0, 0, 1))), RData(A(IPv4Address(192, 0, 2, 2))),
        ])
        #expect(set.canonicalRDATAWire == [[10, 0, 0, 1], [192, 0, 2, 2]])
        #expect(set.canonicalWire(ttl: 7).count == 2 * (9 + 10 + 4))
    }

    @Test func groupingIntoRRsets() {
        let records = [
            ResourceRecord(owner: "a.example.", ttl: 60, A(IPv4Address(192, 0, 2, 1))),
            ResourceRecord(owner: "A.example.", ttl: 30, A(IPv4Address(192, 0, 2, 2))),
            ResourceRecord(owner: "a.example.", ttl: 60, NS("ns.example.")),
        ]
        let sets = RRSet.group(records)
        #expect(sets.count == 2)
        #expect(sets[0].rdatas.count == 2 && sets[0].ttl == 30)
        #expect(sets[1].type == .ns)
    }

    @Test func zoneOrder() {
        let records = [
            ResourceRecord(owner: "b.example.", ttl: 60, A(IPv4Address(192, 0, 2, 1))),
            ResourceRecord(owner: "example.", ttl: 60, NS("ns.example.")),
            ResourceRecord(owner: "example.", ttl: 60, A(IPv4Address(192, 0, 2, 1))),
        ]
        let sorted = records.sorted(by: ResourceRecord.canonicalOrder)
        #expect(sorted.map(\.type) == [.a, .ns, .a])
        #expect(sorted.map(\.owner) == ["example.", "example.", "b.example."])
    }
}
