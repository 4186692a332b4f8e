import PeerTestSupport
import DNSCore
import DNSServer
import Testing

/// RFC 4035 Appendix B: what an authoritative server answers from the Appendix A zone, with
/// DO set. Every section is compared record by record with the RFC's response.
@Suite struct RFC4035_AppendixB_Tests {
    static let cases = (try? AppendixBCase.load("rfc4035/appendix-B-responses.txt")) ?? []

    @Test func allEightCasesAreRead() {
        #expect(Self.cases.map { String($0.title.prefix(4)) } == ["B.1.", "B.2.", "B.3.", "B.4.", "B.5.", "B.6.", "B.7.", "B.8."])
    }

    @Test(arguments: cases)
    func response(_ expected: AppendixBCase) throws {
        let zone = try TestZones.zone(file: "rfc4035/appendix-A.zone", origin: "example.")
        try AppendixBCheck.check(expected, answerer: TestZones.answerer(zone))
    }
}

/// RFC 5155 Appendix B: the same for the NSEC3 (opt-out) zone of Appendix A.
@Suite struct RFC5155_AppendixB_Tests {
    static let cases = (try? AppendixBCase.load("rfc5155/appendix-B-responses.txt")) ?? []

    @Test func allSevenCasesAreRead() {
        #expect(Self.cases.map { String($0.title.prefix(5)) } == ["B.1. ", "B.2. ", "B.2.1", "B.3. ", "B.4. ", "B.5. ", "B.6. "])
    }

    @Test(arguments: cases)
    func response(_ expected: AppendixBCase) throws {
        let zone = try TestZones.zone(file: "rfc5155/appendix-A.zone", origin: "example.")
        try AppendixBCheck.check(expected, answerer: TestZones.answerer(zone))
    }
}

enum AppendixBCheck {
    static func check(_ expected: AppendixBCase, answerer: AuthoritativeAnswerer) throws {
        let query = Message.query(id: 7, name: expected.question.name, type: expected.question.type,
                                  recursionDesired: false, dnssec: true, udpPayloadSize: 4096)
        let response = answerer.answer(query: query, over: .tcp)
        #expect(response.header.isResponse)
        #expect(response.header.rcode == expected.rcode)
        #expect(response.header.isAuthoritative == expected.authoritative)
        #expect(!response.header.recursionAvailable)
        #expect(!response.header.isTruncated)
        #expect(response.edns?.dnssecOK == true)
        compare("answer", response.answers, expected.answer)
        compare("authority", response.authority, expected.authority)
        // The RFC examples disagree on one optional point: B.1 (RFC 4035) carries the addresses
        // of the authority NS targets in the additional section, the wildcard examples (RFC
        // 4035 B.6, RFC 5155 B.4) leave them out though their authority has the same NS. We do
        // what B.1 does (RFC 1034 §3.6.2 additional processing) everywhere, so for those two the
        // apex NS addresses are allowed extras.
        var additional = response.additional
        if expected.title.contains("Wildcard Expansion") {
            let nsTargets = Set(expected.authority.compactMap { $0.rdata.as(NS.self)?.target })
            additional.removeAll { nsTargets.contains($0.owner) }
        }
        compare("additional", additional, expected.additional)
        // Each RRset once (no duplicates).
        #expect(Set(response.answers).count == response.answers.count)
        #expect(Set(response.authority).count == response.authority.count)
    }

    static func compare(_ section: String, _ actual: [ResourceRecord], _ expected: [ResourceRecord],
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let actualSet = Set(actual), expectedSet = Set(expected)
        let missing = expectedSet.subtracting(actualSet).map(\.presentation).sorted()
        let extra = actualSet.subtracting(expectedSet).map(\.presentation).sorted()
        #expect(missing.isEmpty && extra.isEmpty, "\(section): missing \(missing), extra \(extra)", sourceLocation: sourceLocation)
    }
}
