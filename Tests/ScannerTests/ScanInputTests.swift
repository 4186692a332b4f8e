import Scanner
import ScanStore
import Testing

@Suite struct ScanInputTests {
    @Test func domainsTrancoLinesCommentsAndProblems() {
        let lines: [Substring] = ["example.org", "", "# comment", "1,Example.COM", " 2 , mail.example.net. ", "rank,domain",
                                  "bad domain", "3,a,b", "..", "x,"]
        let parsed = lines.enumerated().map { ScanInput.parse($0.element, number: $0.offset + 1) }
        #expect(parsed[0] == .entry(ScanEntry(domain: "example.org.", rank: nil, line: 1)))
        #expect(parsed[1] == .skip)
        #expect(parsed[2] == .skip)
        #expect(parsed[3] == .entry(ScanEntry(domain: "example.com.", rank: 1, line: 4)))
        #expect(parsed[4] == .entry(ScanEntry(domain: "mail.example.net.", rank: 2, line: 5)))
        let problems = parsed.compactMap { line -> ScanInput.Problem? in if case .problem(let p) = line { return p } else { return nil } }
        #expect(problems.map(\.line) == [6, 7, 8, 9, 10])
        #expect(problems.first?.description == "line 6: expected rank,domain with a numeric rank: \"rank,domain\"")
    }
}
