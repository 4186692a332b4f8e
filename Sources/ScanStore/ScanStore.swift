import Foundation
import Logging
import SQLiteNIO

/// The results database of `daneprobe scan` (DESIGN.md, the batch layer): SQLite, one file,
/// its own versioned schema (`ScanSchema`), WAL journal, results written in batched
/// transactions.
///
/// Why sqlite-nio and not GRDB: it bundles the SQLite amalgamation (no system library to
/// install on every machine and in CI), runs every call on NIO's thread pool behind an async
/// API that fits the rest of the NIO-based stack, and we need only a dozen hand-written
/// statements, not GRDB's record and query layers.
///
/// Durability: WAL with `synchronous = NORMAL` — a committed batch survives a killed process
/// (`kill -9` loses at most the results still buffered in memory, which a resumed run redoes),
/// and the database is never left half-written: every write is one transaction.
///
/// All statements go through one connection; the actor plus `exclusive` keep a transaction's
/// statements together even across the awaits between them.
public actor ScanStore: ScanQueue, ScanResultSource {
    public typealias Entry = ScanEntry
    public typealias Counts = ScanCounts

    /// Results kept in memory before one transaction writes them: at most this many…
    public let batchSize: Int
    /// …or results this old.
    public let batchInterval: TimeInterval

    let connection: SQLiteConnection
    var buffer: [ScanRecord] = []
    /// Where `claim` goes on: the last domain it handed out (one worker per database file,
    /// so a cursor is the whole claim state; a new process starts again at the first pending).
    var claimCursor: String?
    var oldestBuffered: Date?
    var busy = false
    var waiters: [CheckedContinuation<Void, Never>] = []

    init(connection: SQLiteConnection, batchSize: Int, batchInterval: TimeInterval) {
        self.connection = connection
        self.batchSize = batchSize
        self.batchInterval = batchInterval
    }

    /// Opens (creating if needed) the database at `path`, switches it to WAL and migrates it
    /// to `ScanSchema.currentVersion`.
    public static func open(path: String, batchSize: Int = 200, batchInterval: TimeInterval = 1,
                            logger: Logger = Logger(label: "daneprobe.scanstore", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> ScanStore {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw ScanStoreError(.open, "\(path): \(error)")
        }
        let store = ScanStore(connection: connection, batchSize: max(1, batchSize), batchInterval: batchInterval)
        do {
            try await store.prepare()
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    func prepare() async throws {
        try await exclusive {
            _ = try await run("PRAGMA busy_timeout = 5000")
            let mode = try await run("PRAGMA journal_mode = WAL").first?.column("journal_mode")?.string
            guard mode == "wal" else { throw ScanStoreError(.open, "the database refused WAL (journal_mode \(mode ?? "?"))") }
            _ = try await run("PRAGMA synchronous = NORMAL")
            let version = try await userVersion()
            guard version <= ScanSchema.currentVersion else {
                throw ScanStoreError(.newerSchema, "the database has schema version \(version); this daneprobe knows up to \(ScanSchema.currentVersion)")
            }
            for (index, statements) in ScanSchema.migrations.enumerated().dropFirst(version) {
                try await transaction {
                    for statement in statements { _ = try await run(statement) }
                    _ = try await run("PRAGMA user_version = \(index + 1)")
                }
            }
        }
    }

    func userVersion() async throws -> Int {
        Int(try await run("PRAGMA user_version").first?.column("user_version")?.integer ?? 0)
    }

    /// The schema version the database is at (SQLite's `user_version`).
    public func schemaVersion() async throws -> Int {
        try await exclusive { try await userVersion() }
    }

    /// The database's journal mode (`wal` once opened).
    public func journalMode() async throws -> String {
        try await exclusive { try await run("PRAGMA journal_mode").first?.column("journal_mode")?.string ?? "" }
    }

    /// Adds domains as `pending`; domains already present (pending or done) are left as they are,
    /// which is what makes re-running the same command a resume.
    public func enqueue(_ entries: [Entry], now: Date) async throws {
        guard !entries.isEmpty else { return }
        try await exclusive {
            try await transaction {
                for chunk in stride(from: 0, to: entries.count, by: 500).map({ entries[$0..<min($0 + 500, entries.count)] }) {
                    let values = Array(repeating: "(?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                    var binds: [SQLiteData] = []
                    binds.reserveCapacity(chunk.count * 4)
                    for entry in chunk {
                        binds.append(.text(Self.key(entry.domain)))
                        binds.append(entry.rank.map { .integer($0) } ?? .null)
                        binds.append(.integer(entry.line))
                        binds.append(.float(now.timeIntervalSince1970))
                    }
                    _ = try await run("INSERT OR IGNORE INTO domains (domain, rank, line, added_at) VALUES \(values)", binds)
                }
            }
        }
    }

    /// Up to `limit` pending domains after `after` in key order (a cursor: pages through a
    /// million pending domains without holding them all).
    public func pending(after: String?, limit: Int) async throws -> [String] {
        try await exclusive {
            let rows = try await run("SELECT domain FROM domains WHERE status = 'pending' AND domain > ? ORDER BY domain LIMIT ?",
                                     [.text(after ?? ""), .integer(limit)])
            return rows.compactMap { $0.column("domain")?.string }
        }
    }

    /// The next pending domains in key order after the last ones handed out. SQLite serves
    /// one worker per file, so nothing is locked or leased: a killed run's claims are simply
    /// pending again for the next process.
    public func claim(limit: Int) async throws -> ScanClaim {
        let page = try await pending(after: claimCursor, limit: limit)
        guard let last = page.last else { return .finished }
        claimCursor = last
        return .domains(page)
    }

    /// Nothing to do: an unstarted domain is still pending in the file. (The next `claim` of
    /// this process goes on after it, as a stopping worker claims nothing more.)
    public func release(_ domains: [String]) async throws {}

    /// Pending domains in the file.
    public func remaining() async throws -> Int {
        try await exclusive {
            Int(try await run("SELECT count(*) AS n FROM domains WHERE status = 'pending'").first?.column("n")?.integer ?? 0)
        }
    }

    /// Finished domains after `after` (by key, ascending), at most `limit`: each domain's key
    /// and its stored report, the JSON line of `check --json` (`daneprobe report DB` pages
    /// through these, so a million domains are never all in memory).
    public func reports(after: String?, limit: Int) async throws -> [(domain: String, json: String)] {
        try await exclusive {
            let rows = try await run("SELECT domain, report FROM domains WHERE status = 'done' AND report IS NOT NULL AND domain > ? ORDER BY domain LIMIT ?",
                                     [.text(after ?? ""), .integer(limit)])
            return rows.compactMap { row in
                guard let domain = row.column("domain")?.string, let json = row.column("report")?.string else { return nil }
                return (domain, json)
            }
        }
    }

    /// Buffers a finished domain; writes the buffer in one transaction once it holds
    /// `batchSize` results or its oldest is `batchInterval` old (by the records' own times).
    public func record(_ record: ScanRecord) async throws {
        buffer.append(record)
        if oldestBuffered == nil { oldestBuffered = record.finishedAt }
        try await flushIfDue(now: record.finishedAt)
    }

    /// Writes the buffer if it is full or old enough at `now` (called on progress ticks too,
    /// so a slow scan's results do not wait for the next batch).
    public func flushIfDue(now: Date) async throws {
        guard let oldest = oldestBuffered else { return }
        if buffer.count >= batchSize || now.timeIntervalSince(oldest) >= batchInterval { try await flush() }
    }

    /// Writes every buffered result now, in one transaction.
    public func flush() async throws {
        try await exclusive {
            let batch = buffer
            buffer = []
            oldestBuffered = nil
            guard !batch.isEmpty else { return }
            do {
                try await transaction {
                    var start = 0
                    while start < batch.count {
                        let end = min(batch.count, start + Self.rowsPerInsert)
                        try await write(batch[start..<end])
                        start = end
                    }
                }
            } catch {
                buffer = batch + buffer
                oldestBuffered = batch.first?.finishedAt
                throw error
            }
        }
    }

    /// Rows per INSERT statement: one statement (one prepare, one trip to SQLite's thread)
    /// for many results; 64 × 14 parameters stays far below SQLite's 32,766.
    static let rowsPerInsert = 64

    /// Inserts or replaces `records` (one row each, keyed by domain) in one statement.
    func write(_ records: ArraySlice<ScanRecord>) async throws {
        guard !records.isEmpty else { return }
        var binds: [SQLiteData] = []
        binds.reserveCapacity(records.count * 14)
        var rows: [String] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let base = binds.count
            binds += [
                .text(record.domain), .text(record.verdict), .text(record.mxStatus), .integer(record.mxImplicit ? 1 : 0),
                .integer(record.nullMX ? 1 : 0), .integer(record.mxHosts), .integer(record.hasTLSA ? 1 : 0),
                .integer(record.tlsaSecure ? 1 : 0), .integer(record.starttls ? 1 : 0), .integer(record.broken ? 1 : 0),
                record.deliveringHost.map { .text($0) } ?? .null, .text(record.reportJSON),
                .float(record.startedAt.timeIntervalSince1970), .float(record.finishedAt.timeIntervalSince1970),
            ]
            // added_at (a new row's) is its started_at: parameter 13 again.
            rows.append("(" + (1...14).map { "?\(base + $0)" }.joined(separator: ", ") + ", ?\(base + 13), 'done')")
        }
        _ = try await run("""
            INSERT INTO domains (domain, verdict, mx_status, mx_implicit, null_mx, mx_hosts, has_tlsa, tlsa_secure, starttls, broken,
                                 delivering_host, report, started_at, finished_at, added_at, status)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (domain) DO UPDATE SET status = 'done', verdict = excluded.verdict, mx_status = excluded.mx_status,
                mx_implicit = excluded.mx_implicit, null_mx = excluded.null_mx, mx_hosts = excluded.mx_hosts,
                has_tlsa = excluded.has_tlsa, tlsa_secure = excluded.tlsa_secure, starttls = excluded.starttls,
                broken = excluded.broken, delivering_host = excluded.delivering_host, report = excluded.report,
                started_at = excluded.started_at, finished_at = excluded.finished_at
            """, binds)
    }

    /// Totals over the whole database.
    public func counts() async throws -> Counts {
        try await exclusive {
            let total = Int(try await run("SELECT count(*) AS n FROM domains").first?.column("n")?.integer ?? 0)
            var verdicts: [String: Int] = [:]
            var done = 0
            for row in try await run("SELECT verdict, count(*) AS n FROM domains WHERE status = 'done' GROUP BY verdict") {
                let n = Int(row.column("n")?.integer ?? 0)
                done += n
                verdicts[row.column("verdict")?.string ?? "?", default: 0] += n
            }
            return Counts(total: total, done: done, verdicts: verdicts)
        }
    }

    /// Every finished domain's verdict, by domain.
    public func verdicts() async throws -> [String: String] {
        try await exclusive {
            var result: [String: String] = [:]
            for row in try await run("SELECT domain, verdict FROM domains WHERE status = 'done'") {
                if let domain = row.column("domain")?.string { result[domain] = row.column("verdict")?.string ?? "" }
            }
            return result
        }
    }

    /// Runs a read-only query for reports and tests (one statement, positional binds).
    public func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await exclusive { try await run(sql, binds) }
    }

    /// Writes what is buffered and closes the connection.
    public func close() async throws {
        try await flush()
        try await exclusive { try await connection.close() }
    }

    /// The key of a domain: absolute, lower case (DNS names compare case-insensitively,
    /// RFC 4343).
    public nonisolated static func key(_ domain: String) -> String {
        let lower = domain.lowercased()
        return lower.hasSuffix(".") ? lower : lower + "."
    }

    // MARK: - Plumbing

    func run(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw ScanStoreError(.sql, "\(error) in: \(sql.prefix(80))")
        }
    }

    func transaction(_ body: () async throws -> Void) async throws {
        _ = try await run("BEGIN IMMEDIATE")
        do {
            try await body()
            _ = try await run("COMMIT")
        } catch {
            _ = try? await run("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` with no other database work of this actor interleaved at its awaits.
    func exclusive<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        while busy {
            await withCheckedContinuation { waiters.append($0) }
        }
        busy = true
        defer {
            busy = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        return try await body()
    }
}
