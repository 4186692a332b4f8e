import DNSCore
import DNSZoneFile
import Testing

/// The zone rules `zone check` adds to parsing (see `ZoneChecker.check`).
@Suite struct ZoneCheckerTests {
    private func check(_ text: String, origin: DomainName? = "example.") -> ZoneChecker.Report {
        ZoneChecker(origin: origin).check(Array(text.utf8), fileName: "z")
    }

    @Test func validZone() {
        let report = check("$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
        #expect(report.isValid)
        #expect(report.recordCount == 3)
    }

    @Test func originFromTheSOAWhenNotGiven() {
        let report = check("example. 60 SOA ns.example. hm.example. 1 2 3 4 5\nx.example. 60 A 192.0.2.1\n", origin: nil)
        #expect(report.isValid)
        #expect(report.origin == "example.")
    }

    @Test func RFC1035_5_2_oneSOAAtTheApex() {
        #expect(check("$TTL 60\nns A 192.0.2.1\n").errors.map(\.code) == [.badRDATA])
        #expect(check("$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ SOA ns hm 2 2 3 4 5\n").errors.map(\.line) == [3])
        #expect(check("$TTL 60\n@ SOA ns hm 1 2 3 4 5\nsub SOA ns hm 1 2 3 4 5\n").errors.map(\.line) == [3])
    }

    @Test func RFC1035_5_2_dataOutsideTheZone() {
        let report = check("$TTL 60\n@ SOA ns hm 1 2 3 4 5\nwww.example.net. A 192.0.2.1\n")
        #expect(report.errors.map(\.code) == [.badOwner])
        #expect(report.errors.map(\.line) == [3])
    }

    @Test func RFC1034_3_6_2_cnameAndOtherData() {
        let report = check("$TTL 60\n@ SOA ns hm 1 2 3 4 5\nw CNAME @\nw A 192.0.2.1\nw CNAME ns\n")
        #expect(report.errors.map(\.line) == [4, 5])
    }

    @Test func syntaxAndZoneErrorsComeSortedByLine() {
        let report = check("$TTL 60\nwww.example.net. A 192.0.2.1\n@ SOA ns hm 1 2 3 4 5\nbad A x\n")
        #expect(report.errors.map(\.line) == [2, 4])
    }
}
