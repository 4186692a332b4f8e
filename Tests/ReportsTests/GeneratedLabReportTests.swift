import DANE
import DANELab
import DNSCore
import Foundation
import MailProbe
import Testing
@testable import Reports

/// Issue 8's proof for `report`: generated domains served by the lab on loopback, checked by
/// the built-in DANE client, summed up — and the counts equal the mix that was generated.
@Suite struct GeneratedLabReportTests {
    @Test func countsEqualTheGeneratedMix() async throws {
        let domains = LabGenerator(mix: .everyKind).generate(66)
        let scenarios = domains.map(\.scenario)
        let now = LabRunner.referenceTime
        let hierarchy = try LabHierarchy(scenarios: scenarios, now: now)
        let reports: [DomainReport] = try await LabNetwork.run(hierarchy, scenarios: scenarios) { endpoints in
            let resolver = endpoints.resolver(now: now)
            return await withTaskGroup(of: (Int, DomainReport?).self) { group in
                var next = 0
                func add() {
                    guard next < scenarios.count else { return }
                    let index = next
                    next += 1
                    group.addTask {
                        guard let name = try? DomainName(parsing: scenarios[index].domain) else { return (index, nil) }
                        var options = MailProbeOptions()
                        options.addressMap = endpoints.smtpAddressMap
                        options.now = now
                        options.timeout = .seconds(5)
                        options.ehloName = "daneprobe-lab.invalid"
                        return (index, await MailProbe(resolver: resolver, options: options).check(name))
                    }
                }
                for _ in 0..<8 { add() }
                var results: [(Int, DomainReport?)] = []
                while let result = await group.next() {
                    results.append(result)
                    add()
                }
                return results.sorted { $0.0 < $1.0 }.compactMap(\.1)
            }
        }
        try #require(reports.count == domains.count)
        for (domain, report) in zip(domains, reports) {
            #expect(report.verdict == domain.kind.expected, "\(domain.scenario.id) (\(domain.kind.rawValue))")
        }
        let summary = ReportAccumulator(reports).summary()
        let kinds = domains.map(\.kind)
        func count(_ predicate: (LabGenerator.Kind) -> Bool) -> Int { kinds.filter(predicate).count }

        #expect(summary.domains == 66)
        // Every signed MX answer carries its signature's algorithm: the lab signs with 13.
        let secureMX = reports.filter { $0.mx.status == .secure }.count
        #expect(secureMX > 0)
        #expect(summary.dnssecAlgorithms == [.init("13 ECDSAP256SHA256", secureMX)], "\(summary.dnssecAlgorithms ?? [])")
        #expect(summary.notes.isEmpty, "\(summary.notes)")
        for verdict in DANEVerdict.allCases {
            #expect(summary.count(verdict) == count { $0.expected == verdict }, "\(verdict)")
        }
        #expect(summary.withMX == count { $0 != .nullMX })
        #expect(summary.nullMX == count { $0 == .nullMX })
        #expect(summary.signedMX == count { $0.signed && $0 != .nullMX })
        #expect(summary.withSignedMXHost == count { $0.signed && $0.hostCount > 0 })
        #expect(summary.withTLSA == count { !$0.tlsaParameters.isEmpty })
        #expect(summary.withUsableTLSA == count(\.usableTLSA))
        #expect(summary.matching == count(\.matches))
        #expect(summary.startTLSOffered == count(\.offersSTARTTLS))
        #expect(summary.partialDANE == count { $0 == .partialDANE })
        #expect(summary.rolloverReady == count(\.rolloverReady))
        #expect(summary.hosts == kinds.reduce(0) { $0 + $1.hostCount })
        var parameters: [String: Int] = [:]
        for kind in kinds { for key in kind.tlsaParameters { parameters[key, default: 0] += 1 } }
        #expect(Dictionary(uniqueKeysWithValues: summary.tlsaParameters.map { ($0.key, $0.count) }) == parameters)
        let failing = count { !$0.expected.delivers && $0 != .nullMX }
        #expect(summary.failureReasons.reduce(0) { $0 + $1.count } == failing)

        // The renderings carry the same numbers.
        let html = ReportHTMLRenderer.render(summary)
        #expect(html.contains("data-key=\"verified\" data-count=\"\(summary.count(.verified))\""))
        #expect(ReportTextRenderer.render(summary).contains("Domains: 66"))
    }
}
