import DANE
import Foundation
import MailProbe
import Testing
@testable import Reports

@Suite struct ReportAccumulatorTests {
    typealias F = ReportFixtures

    @Test func countsDomainsAndHostsByWhatTheyPublish() throws {
        let reports: [DomainReport] = [
            // Verified, one host, 3 1 1.
            try F.report(domain: "a.", verdict: .verified, hosts: [F.verifiedHost()]),
            // Verified with a DANE-TA record: rollover-ready; second host without TLSA: partial DANE.
            try F.report(domain: "b.", verdict: .verified,
                         hosts: [F.verifiedHost("mx1.b.", records: [F.ta211]),
                                 F.Host(name: "mx2.b.", records: [], usable: [])]),
            // Unsigned domain and host, STARTTLS, no TLSA.
            try F.report(domain: "c.", verdict: .untrusted, mxStatus: "insecure",
                         hosts: [F.Host(addressStatus: "insecure", tlsaStatus: "not-looked-up")]),
            // Secure TLSA that matches nothing.
            try F.report(domain: "d.", verdict: .daneFailed, broken: true,
                         hosts: [F.Host(records: [F.ee311], usable: [F.ee311], verdict: .daneFailed,
                                        reason: .init(step: "match", status: "dane-failed", rule: "RFC 7672 §2.2", detail: "no record matched"))]),
            // Only PKIX records: present, not usable.
            try F.report(domain: "e.", verdict: .untrusted, hosts: [F.Host(records: [F.pkix011], usable: [])]),
            // Null MX.
            try F.report(domain: "f.", verdict: .noMail, nullMX: true, hosts: []),
            // Bogus MX RRset.
            try F.report(domain: "g.", verdict: .dnsFailed, mxStatus: "bogus", hosts: [],
                         reasons: [.init(step: "mx", status: "bogus", rule: "RFC 7672 §2.2.1", detail: "bogus MX")]),
            // Two usable 3 1 1 records (current + next), no STARTTLS offered after the second was published? plaintext offer absent.
            try F.report(domain: "h.", verdict: .verified, hosts: [F.verifiedHost(records: [F.ee311, F.ee311])]),
        ]
        let summary = ReportAccumulator(reports).summary()
        #expect(summary.domains == 8)
        #expect(summary.withMX == 6)  // not null MX, not the bogus one
        #expect(summary.nullMX == 1)
        #expect(summary.signedMX == 5)  // a, b, d, e, h
        #expect(summary.withSignedMXHost == 5)
        #expect(summary.withTLSA == 5)  // a, b, d, e, h
        #expect(summary.withUsableTLSA == 4)  // a, b, d, h
        #expect(summary.matching == 3)
        #expect(summary.startTLSOffered == 6)
        #expect(summary.partialDANE == 1)
        #expect(summary.rolloverReady == 2)  // b (DANE-TA), h (two records)
        #expect(summary.hosts == 7)
        #expect(summary.hostsWithTLSA == 5)
        #expect(summary.hostsRolloverReady == 2)
        #expect(summary.delivering == 5)
        #expect(summary.broken == 1)
        #expect(summary.count(.verified) == 3)
        #expect(summary.count(.untrusted) == 2)
        #expect(summary.count(.noMail) == 1)
        #expect(summary.verdicts.map(\.key) == DANEVerdict.allCases.map(\.rawValue))
        #expect(summary.tlsaParameters == [.init("3 1 1", 4), .init("0 1 1", 1), .init("2 1 1", 1)])
        #expect(summary.failureReasons == [.init("dane-failed: match dane-failed (RFC 7672 §2.2)", 1),
                                           .init("dns-failed: mx bogus (RFC 7672 §2.2.1)", 1)])
        #expect(summary.dnssecAlgorithms == nil)
        #expect(!summary.notes.isEmpty)
    }

    @Test func skippedHostsAreNotCounted() throws {
        var skipped = F.Host(name: "mx2.example.", records: [F.ee311], usable: [F.ee311])
        skipped.skipped = true
        let summary = ReportAccumulator([try F.report(verdict: .verified, hosts: [F.verifiedHost(), skipped])]).summary()
        #expect(summary.hosts == 1)
        #expect(summary.partialDANE == 0)
    }

    @Test func anAsyncSourceGivesTheSameSummary() async throws {
        let reports = [try F.report(verdict: .verified, hosts: [F.verifiedHost()]),
                       try F.report(verdict: .plaintext, mxStatus: "insecure", hosts: [F.Host(starttls: "not-offered", verdict: .plaintext)])]
        let stream = AsyncStream<DomainReport> { continuation in
            for report in reports { continuation.yield(report) }
            continuation.finish()
        }
        let streamed = try await ReportAccumulator.summarize(stream)
        #expect(streamed == ReportAccumulator(reports).summary())
        #expect(streamed.startTLSOffered == 1)
    }

    /// A million reports through one accumulator: its distributions stay as small as their
    /// vocabulary (no per-domain state), whatever the number of domains.
    @Test func memoryDoesNotGrowWithDomains() throws {
        var accumulator = ReportAccumulator()
        let report = try F.report(verdict: .verified, hosts: [F.verifiedHost()])
        for index in 0..<200_000 {
            var copy = report
            copy.domain = "d\(index).example."
            accumulator.add(copy)
        }
        let summary = accumulator.summary()
        #expect(summary.domains == 200_000)
        #expect(summary.tlsaParameters.count == 1)
        #expect(summary.failureReasons.isEmpty)
    }
}

@Suite struct JSONLineSplitterTests {
    @Test func linesSplitAtAnyChunkBoundaryGiveTheSameSummary() throws {
        let lines = [ReportFixtures.json(domain: "a.", verdict: .verified, hosts: [ReportFixtures.verifiedHost()]),
                     "", "not json", ReportFixtures.json(domain: "b.", verdict: .noMail, nullMX: true, hosts: [])]
        let bytes = Array(lines.joined(separator: "\n").utf8)
        var whole = ReportAccumulator()
        var splitter = JSONLineSplitter()
        splitter.feed(bytes, into: &whole)
        splitter.finish(into: &whole)
        let expected = whole.summary()
        #expect(expected.domains == 2)
        #expect(expected.unreadable == 1)
        for cut in stride(from: 1, to: bytes.count, by: 37) {
            var accumulator = ReportAccumulator()
            var splitter = JSONLineSplitter()
            splitter.feed(bytes[..<cut], into: &accumulator)
            splitter.feed(bytes[cut...], into: &accumulator)
            splitter.finish(into: &accumulator)
            #expect(accumulator.summary() == expected, "cut at \(cut)")
        }
    }

    @Test func theOutputOfCheckJSONIsRead() throws {
        let report = try ReportFixtures.report(verdict: .verified, hosts: [ReportFixtures.verifiedHost()])
        var accumulator = ReportAccumulator()
        var splitter = JSONLineSplitter()
        splitter.feed(Array((report.jsonLine() + "\n").utf8), into: &accumulator)
        splitter.finish(into: &accumulator)
        #expect(accumulator.summary() == ReportAccumulator([report]).summary())
    }
}
