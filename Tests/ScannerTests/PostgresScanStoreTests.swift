import Foundation
import MailProbe
import PeerTestSupport
import ScanStore
import ScanStorePostgres
import Testing

/// `PostgresScanStore` against a real PostgreSQL server (Debian's `postgresql`, started by
/// `.ci/run` or by the test): idempotent loading, disjoint claims under concurrency, leases
/// that expire and are claimed again, results upserted once per (run, domain), restarted
/// workers, given-up domains, runs and their configurations, schema versions, bad URLs.
/// Lease expiry is made to happen by moving `lease_until` into the past with SQL — the
/// database's clock is what the claim query reads, so no test waits for time to pass.
@Suite(.enabled(if: PostgresServer.available), .serialized) struct PostgresScanStoreTests {
    static func entries(_ range: ClosedRange<Int>) -> [ScanEntry] {
        range.map { ScanEntry(domain: "d\($0).example", rank: $0, line: $0) }
    }

    /// A stored-able result for `domain`: a real `check --json` line (a null MX) with the
    /// name and a detail of our choice.
    static func record(_ domain: String, detail: String = #""null MX""#, verdict: String = "no-mail") throws -> ScanRecord {
        let key = ScanStore.key(domain)
        let json = """
            {"advice":[],"broken":false,"domain":"\(key)","hosts":[],"insecureMXPolicy":"dane","mx":{"hosts":[],"implicit":false,"nullMX":true,\
            "rcode":"NOERROR","reasons":[],"status":"secure"},"reasons":[{"detail":\(detail),"rule":"RFC 7505 §3","status":"secure","step":"mx"}],\
            "verdict":"\(verdict)"}
            """
        let report = try JSONDecoder().decode(DomainReport.self, from: Data(json.utf8))
        return ScanRecord(report: report, startedAt: Date(timeIntervalSince1970: 1_780_000_000), finishedAt: Date(timeIntervalSince1970: 1_780_000_001))
    }

    func withDatabase(_ body: (String, PostgresServer) async throws -> Void) async throws {
        let server = try PostgresServer.get()
        let url = try server.createDatabase()
        defer { server.dropDatabase(url) }
        try await body(url, server)
    }

    func worker(_ url: String, _ name: String, run: String = "r1", configuration: String = #"{"policy":"dane"}"#,
                maxAttempts: Int = 3) async throws -> PostgresScanStore {
        var options = PostgresScanStore.WorkerOptions(worker: name)
        options.maxAttempts = maxAttempts
        options.batchSize = 1000
        return try await PostgresScanStore.openWorker(try PostgresURL(parsing: url), run: run, configuration: configuration, options: options)
    }

    /// Claims until the queue has nothing free for this worker.
    func claimAll(_ store: PostgresScanStore, limit: Int) async throws -> [String] {
        var all: [String] = []
        while case .domains(let domains) = try await store.claim(limit: limit) { all += domains }
        return all
    }

    @Test func loadingIsIdempotentWhicheverWorkerLoads() async throws {
        try await withDatabase { url, _ in
            let a = try await worker(url, "a")
            let b = try await worker(url, "b")
            try await a.enqueue(Self.entries(1...100), now: Date())
            try await b.enqueue(Self.entries(51...150), now: Date())
            try await a.enqueue(Self.entries(1...150), now: Date())
            #expect(try await a.counts() == ScanCounts(total: 150, done: 0, verdicts: [:]))
            #expect(try await b.remaining() == 150)
            try await a.close()
            try await b.close()
        }
    }

    @Test func concurrentWorkersClaimDisjointBatchesThatCoverTheRun() async throws {
        try await withDatabase { url, _ in
            let stores = try await [worker(url, "a"), worker(url, "b"), worker(url, "c")]
            try await stores[0].enqueue(Self.entries(1...600), now: Date())
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for store in stores { group.addTask { try await self.claimAll(store, limit: 7) } }
                var all: [[String]] = []
                for try await part in group { all.append(part) }
                return all
            }
            let union = claimed.flatMap { $0 }
            #expect(union.count == 600, "a domain was claimed twice or not at all")
            #expect(Set(union) == Set(Self.entries(1...600).map { ScanStore.key($0.domain) }))
            #expect(claimed.allSatisfy { !$0.isEmpty }, "one worker got nothing: \(claimed.map(\.count))")
            // All leased and live: nobody may claim more, and the queue says to wait, not that it is finished.
            guard case .wait(let pause) = try await stores[0].claim(limit: 10) else {
                Issue.record("expected .wait while leases are live")
                return
            }
            #expect(pause <= .seconds(1), "a worker must look again soon, not sleep out a 300 s lease")
            for store in stores { try await store.close() }
        }
    }

    @Test func anExpiredLeaseIsClaimedAgainALiveOneIsNot() async throws {
        try await withDatabase { url, server in
            let a = try await worker(url, "a")
            let b = try await worker(url, "b")
            try await a.enqueue(Self.entries(1...20), now: Date())
            guard case .domains(let held) = try await a.claim(limit: 5) else { throw PostgresServerError.expectation("a claims") }
            let rest = try await claimAll(b, limit: 100)
            #expect(rest.count == 15)
            #expect(Set(rest).isDisjoint(with: held))
            // a stops renewing (as a killed worker does) and its leases run out.
            try server.psql(url: url, "UPDATE scan_work SET lease_until = now() - interval '1 second' WHERE worker = 'a'")
            guard case .domains(let taken) = try await b.claim(limit: 100) else { throw PostgresServerError.expectation("b takes a's domains") }
            #expect(taken.sorted() == held.sorted())
            #expect(try server.psql(url: url, "SELECT DISTINCT attempts FROM scan_work WHERE domain IN ('\(held.joined(separator: "','"))')")
                .trimmingCharacters(in: .whitespacesAndNewlines) == "2")
            // b's own leases are live: nothing more to claim.
            if case .domains(let more) = try await b.claim(limit: 100) { Issue.record("claimed live leases: \(more)") }
            try await a.close()
            try await b.close()
        }
    }

    @Test func resultsAreUpsertedOncePerDomainAndTheWorkIsDoneInTheSameTransaction() async throws {
        try await withDatabase { url, server in
            let a = try await worker(url, "a")
            let b = try await worker(url, "b")
            try await a.enqueue(Self.entries(1...3), now: Date())
            _ = try await claimAll(a, limit: 10)
            try await a.record(Self.record("d1.example", detail: #""first""#))
            try await a.flush()
            // A slow worker's lease expired and b did the same domain again: still one row, b's.
            try await b.record(Self.record("d1.example", detail: #""second""#))
            try await b.record(Self.record("d1.example", detail: #""second, again in one batch""#))
            try await b.flush()
            #expect(try server.psql(url: url, "SELECT count(*), max(worker) FROM scan_results WHERE domain = 'd1.example.'") == "1|b\n")
            #expect(try server.psql(url: url, "SELECT report->'reasons'->0->>'detail' FROM scan_results") == "second, again in one batch\n")
            #expect(try server.psql(url: url, "SELECT state, lease_until IS NULL FROM scan_work WHERE domain = 'd1.example.'") == "done|t\n")
            #expect(try await a.counts() == ScanCounts(total: 3, done: 1, verdicts: ["no-mail": 1]))
            try await a.close()
            try await b.close()
        }
    }

    @Test func hostileTextInAReportIsStoredAndReadBackAsWritten() async throws {
        try await withDatabase { url, _ in
            let a = try await worker(url, "a")
            try await a.enqueue(Self.entries(1...1), now: Date())
            _ = try await claimAll(a, limit: 10)
            // A banner with a NUL, quotes, a backslash, a right-to-left mark and an emoji (jsonb
            // would refuse \u0000; the json column keeps the line as written).
            let record = try Self.record("d1.example", detail: #""220 evil\u0000 \"quoted\" \\ \u200f 📬 '; DROP TABLE scan_results; --""#)
            try await a.record(record)
            try await a.close()
            let reader = try await PostgresScanStore.openReader(try PostgresURL(parsing: url), run: nil)
            let stored = try await reader.reports(after: nil, limit: 10)
            #expect(stored.count == 1)
            #expect(stored.first?.json == record.reportJSON)
            let decoded = try JSONDecoder().decode(DomainReport.self, from: Data(try #require(stored.first?.json).utf8))
            #expect(decoded.reasons.first?.detail.contains("\u{0}") == true)
            try await reader.close()
        }
    }

    /// Regression: a worker whose last results were still buffered saw its own claimed rows
    /// as others' unfinished work and waited out its 300 s lease before exiting.
    @Test func aWorkerWithNothingLeftToClaimWritesItsBufferedResultsAndFinishes() async throws {
        try await withDatabase { url, server in
            let a = try await worker(url, "a")
            try await a.enqueue(Self.entries(1...3), now: Date())
            let claimed = try await claimAll(a, limit: 10)
            for domain in claimed { try await a.record(Self.record(domain)) }
            #expect(try server.psql(url: url, "SELECT count(*) FROM scan_results") == "0\n", "batch size 1000: nothing written yet")
            #expect(try await a.claim(limit: 10) == .finished)
            #expect(try server.psql(url: url, "SELECT count(*) FROM scan_results") == "3\n")
            try await a.close()
        }
    }

    @Test func aRestartedWorkerTakesBackItsOwnLeasesAtOnce() async throws {
        try await withDatabase { url, server in
            let first = try await worker(url, "worker-3")
            try await first.enqueue(Self.entries(1...10), now: Date())
            guard case .domains(let held) = try await first.claim(limit: 4) else { throw PostgresServerError.expectation("claims") }
            // The process dies: no release, no flush; its leases are live for minutes.
            // The orchestrator starts worker-3 again.
            let again = try await worker(url, "worker-3")
            #expect(try server.psql(url: url, "SELECT count(*) FROM scan_work WHERE state = 'claimed'") == "0\n")
            let all = try await claimAll(again, limit: 100)
            #expect(Set(held).isSubset(of: Set(all)))
            #expect(all.count == 10)
            try await again.close()
            try await first.close()
        }
    }

    @Test func releasedDomainsArePendingAgainWithoutAnAttemptCounted() async throws {
        try await withDatabase { url, server in
            let a = try await worker(url, "a")
            try await a.enqueue(Self.entries(1...6), now: Date())
            guard case .domains(let held) = try await a.claim(limit: 6) else { throw PostgresServerError.expectation("claims") }
            try await a.release(Array(held.suffix(4)))
            #expect(try server.psql(url: url, "SELECT state, count(*), max(attempts) FROM scan_work GROUP BY state ORDER BY state") == "claimed|2|1\npending|4|0\n")
            try await a.close()
        }
    }

    @Test func aDomainThatKeepsKillingItsWorkersIsGivenUp() async throws {
        try await withDatabase { url, server in
            let a = try await worker(url, "a", maxAttempts: 2)
            let b = try await worker(url, "b", maxAttempts: 2)
            try await a.enqueue(Self.entries(1...1), now: Date())
            #expect(try await a.claim(limit: 1) == .domains(["d1.example."]))
            try server.psql(url: url, "UPDATE scan_work SET lease_until = now() - interval '1 second'")
            #expect(try await b.claim(limit: 1) == .domains(["d1.example."]))
            try server.psql(url: url, "UPDATE scan_work SET lease_until = now() - interval '1 second'")
            #expect(try await a.claim(limit: 1) == .finished)
            #expect(try await a.remaining() == 0)
            #expect(try await a.givenUp() == ["d1.example."])
            try await a.close()
            try await b.close()
        }
    }

    @Test func runsAreSeparateAndTheirWorkersMustAgreeOnTheConfiguration() async throws {
        try await withDatabase { url, _ in
            let first = try await worker(url, "a", run: "2026-11", configuration: #"{"policy":"dane","timeout":"10"}"#)
            try await first.enqueue(Self.entries(1...4), now: Date())
            _ = try await claimAll(first, limit: 10)
            for index in 1...4 { try await first.record(Self.record("d\(index).example")) }
            try await first.close()
            do {
                _ = try await worker(url, "b", run: "2026-11", configuration: #"{"policy":"may","timeout":"10"}"#)
                Issue.record("a worker with another policy joined the run")
            } catch let error as ScanStoreError {
                #expect(error.code == .configuration)
                #expect(error.description.contains(#"policy: "dane" → "may""#), "\(error)")
            }
            // The same domains again, later, as a new run: a longitudinal study.
            let second = try await worker(url, "a", run: "2026-12", configuration: #"{"policy":"may","timeout":"10"}"#)
            try await second.enqueue(Self.entries(1...4), now: Date())
            #expect(try await second.counts() == ScanCounts(total: 4, done: 0, verdicts: [:]))
            try await second.close()
            let latest = try await PostgresScanStore.openReader(try PostgresURL(parsing: url), run: nil)
            #expect(latest.run.name == "2026-12")
            #expect(try await latest.runs().map { [$0.run.name, "\($0.domains)", "\($0.done)"] } == [["2026-12", "4", "0"], ["2026-11", "4", "4"]])
            try await latest.close()
            let older = try await PostgresScanStore.openReader(try PostgresURL(parsing: url), run: "2026-11")
            #expect(try await older.reports(after: nil, limit: 100).count == 4)
            try await older.close()
            await #expect(throws: ScanStoreError.self) { _ = try await PostgresScanStore.openReader(try PostgresURL(parsing: url), run: "1999") }
        }
    }

    @Test func aDatabaseOfANewerDaneprobeIsRefusedAndAnEmptyOneIsNotAScanDatabase() async throws {
        try await withDatabase { url, server in
            await #expect(throws: ScanStoreError.self) { _ = try await PostgresScanStore.openReader(try PostgresURL(parsing: url), run: nil) }
            let a = try await worker(url, "a")
            try await a.close()
            #expect(try server.psql(url: url, "SELECT version FROM daneprobe_schema") == "\(PostgresScanSchema.currentVersion)\n")
            try server.psql(url: url, "UPDATE daneprobe_schema SET version = 99")
            do {
                _ = try await worker(url, "a")
                Issue.record("opened a newer schema")
            } catch let error as ScanStoreError {
                #expect(error.code == .newerSchema)
            }
        }
    }

    @Test func aServerThatIsNotThereIsAClearErrorNotAHang() async throws {
        let port = try LoopbackSocket.freePort()
        let start = ContinuousClock.now
        do {
            _ = try await worker("postgres://nobody@127.0.0.1:\(port)/none", "a")
            Issue.record("connected to nothing")
        } catch let error as ScanStoreError {
            #expect(error.code == .open)
            #expect(error.description.contains("127.0.0.1:\(port)"), "\(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(20))
    }
}

extension PostgresServerError {
    static func expectation(_ what: String) -> PostgresServerError { PostgresServerError("expectation failed: \(what)") }
}
