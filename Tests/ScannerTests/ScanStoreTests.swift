import Foundation
import ScanStore
import Testing

@Suite struct ScanStoreTests {
    @Test func migratesAnEmptyDatabaseToTheCurrentSchemaInWAL() async throws {
        let path = ScanLab.temporaryDatabase()
        defer { ScanLab.remove(path) }
        // An empty file: SQLite treats it as a new database at user_version 0.
        FileManager.default.createFile(atPath: path, contents: Data())
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
}
