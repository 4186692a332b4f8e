import DANE
import Foundation
import MailProbe
import Scanner
import ScanStore
import Synchronization
import Testing

/// `DomainScanner` over the in-process lab: every domain stored once with the catalogue's verdict,
/// resume after a stopped run, politeness and sharding.
@Suite struct ScannerTests {
    static func input(_ domains: [String]) -> [Substring] {
        (["# the lab's mail domains", ""] + domains.enumerated().map { "\($0.offset + 1),\($0.element)" }).map { Substring($0) }
    }

    @Test func scansTheLabOnceEachWithTheCataloguesVerdicts() async throws {
        let path = ScanLab.temporaryDatabase()
        defer { ScanLab.remove(path) }
        let expected = ScanLab.expected
        let streamed = Mutex<[String]>([])
        let (summary, seconds) = try await ScanLab.run { probe in
            let store = try await ScanStore.open(path: path)
            var options = DomainScanner.Options()
            options.concurrency = 16
            let scanner = DomainScanner(probe: probe, options: options)
            let problems = try await scanner.load(Self.input(expected.keys.sorted()), into: store)
            #expect(problems.isEmpty)
            let clock = ContinuousClock()
            let start = clock.now
            let summary = try await scanner.run(queue: store) { report in streamed.withLock { $0.append(report.domain) } }
            let elapsed = clock.now - start
            try await store.close()
            return (summary, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        print("scanner: \(expected.count) lab domains in \(seconds) s: \(Double(expected.count) / seconds) domains/s")
        #expect(summary == DomainScanner.Summary(checked: expected.count, remaining: 0, interrupted: false))
        #expect(streamed.withLock { $0.sorted() } == expected.keys.sorted())
        let store = try await ScanStore.open(path: path)
        let stored = try await store.verdicts()
        #expect(stored == expected)
        let rows = try await store.query("SELECT count(*) AS n, count(DISTINCT domain) AS d FROM domains WHERE report IS NOT NULL")
        #expect(rows.first?.column("n")?.integer == expected.count)
        #expect(rows.first?.column("d")?.integer == expected.count)
        let verified = try await store.query("SELECT report, mx_status, tlsa_secure, starttls FROM domains WHERE domain = 'control-311.lab.'")
        let report = try JSONDecoder().decode(DomainReport.self, from: Data(try #require(verified.first?.column("report")?.string).utf8))
        #expect(report.verdict == .verified)
        #expect(verified.first?.column("mx_status")?.string == "secure")
        #expect(verified.first?.column("tlsa_secure")?.integer == 1)
        #expect(verified.first?.column("starttls")?.integer == 1)
        try await store.close()
    }

    @Test func aStoppedRunResumesAndEveryDomainIsThereOnce() async throws {
        let path = ScanLab.temporaryDatabase()
        defer { ScanLab.remove(path) }
        let expected = ScanLab.expected
        let (first, second) = try await ScanLab.run { probe in
            var options = DomainScanner.Options()
            options.concurrency = 4
            options.stopAfter = 5
            let store = try await ScanStore.open(path: path)
            let scanner = DomainScanner(probe: probe, options: options)
            _ = try await scanner.load(Self.input(expected.keys.sorted()), into: store)
            let first = try await scanner.run(queue: store)
            try await store.close()
            // The same command again: the input reloaded, only what is pending checked.
            options.stopAfter = nil
            let again = try await ScanStore.open(path: path)
            let resumed = DomainScanner(probe: probe, options: options)
            _ = try await resumed.load(Self.input(expected.keys.sorted()), into: again)
            let second = try await resumed.run(queue: again)
            try await again.close()
            return (first, second)
        }
        #expect(first == DomainScanner.Summary(checked: 5, remaining: expected.count - 5, interrupted: true))
        #expect(second == DomainScanner.Summary(checked: expected.count - 5, remaining: 0, interrupted: false))
        let store = try await ScanStore.open(path: path)
        #expect(try await store.verdicts() == expected)
        #expect(try await store.counts().total == expected.count)
        try await store.close()
    }

    @Test func shardsSplitTheInputWithoutOverlap() async throws {
        let domains = (0..<300).map { "d\($0).example." }
        var union: [String] = []
        for k in 1...3 {
            let shard = try #require(ScanShard(parsing: "\(k)/3"))
            union += domains.filter(shard.contains)
        }
        #expect(union.sorted() == domains.sorted())
        #expect(ScanShard(parsing: "0/3") == nil && ScanShard(parsing: "4/3") == nil && ScanShard(parsing: "x") == nil)
        // Stable across processes: FNV-1a 64 of "example.".
        #expect(ScanShard.hash("example.") == ScanShard.hash("EXAMPLE."))
        #expect(ScanShard.hash("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func addressLimiterHoldsAtMostTheLimit() async throws {
        let limiter = ScanAddressLimiter(limit: 2)
        await limiter.acquire(["a:25", "b:25"])
        await limiter.acquire(["a:25"])
        #expect(await limiter.holders("a:25") == 2)
        let third = Task { await limiter.acquire(["a:25"]); return true }
        // The third holder waits until one is released.
        await limiter.release(["a:25"])
        #expect(await third.value)
        #expect(await limiter.holders("a:25") == 2)
        #expect(await limiter.holders("b:25") == 1)
    }

    @Test func progressLine() {
        let progress = ScanProgress(done: 50, total: 100, elapsed: 10, verdicts: ["verified": 20, "dns-failed": 30])
        #expect(progress.line(bar: true, width: 10) == "[#####.....] 50/100 5.0/s ETA 0:10 dns-failed 30 verified 20")
        #expect(progress.line(bar: false) == "50/100 5.0/s ETA 0:10 dns-failed 30 verified 20")
    }
}
