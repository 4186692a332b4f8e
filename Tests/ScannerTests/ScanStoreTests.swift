import Foundation
import MailProbe
import ScanStore
import Testing

@Suite struct ScanStoreTests {
    @Test func migratesAnEmptyDatabaseToTheCurrentSchemaInWAL() async throws {
        let path = ScanLab.temporaryDatabase()
        defer { ScanLab.remove(path) }
        // An empty file: SQLite treats it as a new database at user_version 0.
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let store = try await ScanStore.open(path: path)
        #expect(try await store.schemaVersion() == ScanSchema.currentVersion)
        #expect(try await store.journalMode() == "wal")
        let tables = try await store.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
        #expect(tables.compactMap { $0.column("name")?.string }.filter { !$0.hasPrefix("sqlite_") }
            == ["domains", "domains_has_tlsa", "domains_mx_status", "domains_status", "domains_verdict", "scan_meta"])
        try await store.enqueue([ScanStore.Entry(domain: "Example.ORG", rank: 1, line: 1)], now: Date(timeIntervalSince1970: 0))
        try await store.close()
        // Opening again migrates nothing and keeps the data.
        let again = try await ScanStore.open(path: path)
        #expect(try await again.counts() == ScanStore.Counts(total: 1, done: 0, verdicts: [:]))
        #expect(try await again.pending(after: nil, limit: 10) == ["example.org."])
        try await again.close()
    }

    @Test func refusesADatabaseFromANewerDaneprobe() async throws {
        let path = ScanLab.temporaryDatabase()
        defer { ScanLab.remove(path) }
        let store = try await ScanStore.open(path: path)
        _ = try await store.query("PRAGMA user_version = 99")
        try await store.close()
        await #expect(throws: ScanStoreError.self) { _ = try await ScanStore.open(path: path) }
    }

    /// A batch of 150 results is written 64 rows to a statement: every row lands with its
    /// fields, a domain recorded twice in one batch keeps the later result, and a domain that
    /// was pending is now done.
    @Test func aBatchOfManyResultsIsWrittenWholeAndTheLaterOfTwoWins() async throws {
        let path = ScanLab.temporaryDatabase()
        defer { ScanLab.remove(path) }
        let store = try await ScanStore.open(path: path, batchSize: 1_000)
        try await store.enqueue([ScanStore.Entry(domain: "d7.example", rank: 7, line: 7)], now: Date(timeIntervalSince1970: 0))
        for index in 0..<150 { try await store.record(try PostgresScanStoreTests.record("d\(index).example")) }
        try await store.record(try PostgresScanStoreTests.record("d3.example", detail: #""again""#, verdict: "dns-failed"))
        try await store.flush()
        #expect(try await store.counts() == ScanStore.Counts(total: 150, done: 150, verdicts: ["no-mail": 149, "dns-failed": 1]))
        let d3 = try await store.query("SELECT verdict, report, null_mx, started_at, added_at FROM domains WHERE domain = 'd3.example.'")
        #expect(d3.first?.column("verdict")?.string == "dns-failed")
        #expect(d3.first?.column("report")?.string?.contains("again") == true)
        #expect(d3.first?.column("null_mx")?.integer == 1)
        #expect(d3.first?.column("started_at")?.double == 1_780_000_000)
        let d7 = try await store.query("SELECT status, rank, added_at FROM domains WHERE domain = 'd7.example.'")
        #expect(d7.first?.column("status")?.string == "done")
        #expect(d7.first?.column("rank")?.integer == 7, "the pending row's rank is kept")
        let d149 = try await store.query("SELECT added_at FROM domains WHERE domain = 'd149.example.'")
        #expect(d149.first?.column("added_at")?.double == 1_780_000_000, "a new row is added at its start")
        try await store.close()
    }
}
