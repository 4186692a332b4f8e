import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import ScanStore

/// The scan database shared by many `daneprobe scan` workers (issue 9; DESIGN.md, the batch
/// layer): PostgreSQL as the work queue and the results store, so any orchestrator that
/// starts N copies of the same command — a Kubernetes Indexed Job, a Slurm array, ssh —
/// scales a scan out, and a worker that dies loses nothing.
///
/// - Loading is idempotent: every worker may load the input (`INSERT … ON CONFLICT DO
///   NOTHING` on (run, domain)).
/// - Claiming: a batch of unfinished domains whose lease is free or expired, locked with
///   `SELECT … FOR UPDATE SKIP LOCKED` so concurrent workers never wait on each other nor
///   take the same rows, marked `claimed` by this worker with a lease of `lease` from the
///   *database's* clock (no worker's clock decides anything). The worker renews its leases
///   every third of `lease` while it runs; a worker that dies stops renewing, its leases
///   expire and its domains are claimed again. A worker that starts under the name of a dead
///   one (`--worker`, e.g. the index of an Indexed Job) takes its leases back at once.
/// - Results: buffered, then written in one transaction per batch — the rows upserted on
///   (run, domain), so a domain finished twice (a lease that expired under a slow worker)
///   still has one result, and its work row marked `done` in the same transaction.
/// - Runs: `--run NAME` names a run; the same input can be scanned again later as a new run
///   (longitudinal studies: one domain, many runs). The run's configuration is recorded
///   by the first worker and every later worker must match it.
/// - A domain claimed `maxAttempts` times without a result (it kills the workers that take
///   it) is given up, so one poisonous domain cannot stall a sweep.
///
/// Every statement of a batch is one round trip; the actor keeps this worker's calls in order.
public actor PostgresScanStore: ScanQueue, ScanResultSource {
    public struct Run: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var startedAt: Date
    }

    public struct WorkerOptions: Sendable {
        /// This worker's name in the database (`claimed` rows, results). Unique among the
        /// workers alive at one time.
        public var worker: String
        /// How long a claim holds without renewal.
        public var lease: Duration = .seconds(300)
        /// Results kept in memory before one transaction writes them: at most this many…
        public var batchSize = 200
        /// …or results this old.
        public var batchInterval: TimeInterval = 1
        /// Claims of one domain before it is given up.
        public var maxAttempts = 3

        public init(worker: String) {
            self.worker = worker
        }
    }

    public nonisolated let url: PostgresURL
    public nonisolated let run: Run
    let client: PostgresClient
    let clientTask: Task<Void, Never>
    let worker: WorkerOptions?
    let logger: Logger
    var buffer: [ScanRecord] = []
    var oldestBuffered: Date?
    var renewal: Task<Void, Never>?

    init(url: PostgresURL, run: Run, client: PostgresClient, clientTask: Task<Void, Never>, worker: WorkerOptions?, logger: Logger) {
        self.url = url
        self.run = run
        self.client = client
        self.clientTask = clientTask
        self.worker = worker
        self.logger = logger
    }

    // MARK: - ScanQueue

    /// The longest a worker waits before asking again whether work is left.
    static let pollInterval = 0.25

    public func enqueue(_ entries: [ScanEntry], now: Date) async throws {
        for start in stride(from: 0, to: entries.count, by: 1000) {
            let chunk = entries[start..<min(start + 1000, entries.count)]
            var binds = PostgresBindings(capacity: chunk.count * 3 + 1)
            binds.append(run.id)
            var values: [String] = []
            values.reserveCapacity(chunk.count)
            for (offset, entry) in chunk.enumerated() {
                let base = 2 + offset * 3
                values.append("($1, $\(base), $\(base + 1), $\(base + 2))")
                binds.append(ScanStore.key(entry.domain))
                binds.append(entry.rank.map(Int64.init))
                binds.append(Int64(entry.line))
            }
            let query = PostgresQuery(unsafeSQL: "INSERT INTO scan_work (run_id, domain, rank, line) VALUES \(values.joined(separator: ", ")) ON CONFLICT DO NOTHING", binds: binds)
            try await statement("loading domains") { try await client.rows(query) }
        }
    }

    public func claim(limit: Int) async throws -> ScanClaim {
        guard let worker else { throw ScanStoreError(.sql, "a reader cannot claim work") }
        let seconds = Self.seconds(worker.lease)
        let attempts = Int32(worker.maxAttempts)
        let limit = Int32(max(1, limit))
        let domains = try await statement("claiming domains") {
            try await client.rows("""
                UPDATE scan_work w SET state = 'claimed', worker = \(worker.worker),
                       lease_until = now() + \(seconds) * interval '1 second', attempts = w.attempts + 1
                FROM (SELECT domain FROM scan_work
                      WHERE run_id = \(run.id) AND state <> 'done' AND attempts < \(attempts)
                        AND (lease_until IS NULL OR lease_until < now())
                      ORDER BY lease_until NULLS FIRST
                      LIMIT \(limit)
                      FOR UPDATE SKIP LOCKED) next
                WHERE w.run_id = \(run.id) AND w.domain = next.domain
                RETURNING w.domain
                """).map { try $0.decode(String.self) }
        }
        if !domains.isEmpty { return .domains(domains.sorted()) }
        // Nothing free. This worker's own finished results go in first: until they are
        // written their rows are still claimed and would look like unfinished work.
        try await flush()
        // Then: finished, or others hold leases (a live worker busy, or a dead one whose
        // leases have not expired yet): ask again when the first would expire, and at least
        // every `pollInterval`, so a worker ends soon after the last result is in.
        let open = try await statement("looking for unfinished domains") {
            try await client.rows("""
                SELECT count(*), COALESCE(extract(epoch FROM min(lease_until) - now())::float8, 0)
                FROM scan_work WHERE run_id = \(run.id) AND state <> 'done' AND attempts < \(attempts)
                """).first.map { row -> (Int64, Double) in try row.decode((Int64, Double).self) } ?? (Int64(0), 0.0)
        }
        guard open.0 > 0 else { return .finished }
        let wait = min(max(open.1, 0.05), Self.pollInterval)
        return .wait(.milliseconds(Int64(wait * 1000)))
    }

    public func release(_ domains: [String]) async throws {
        guard let worker, !domains.isEmpty else { return }
        try await statement("releasing unstarted domains") {
            try await client.rows("""
                UPDATE scan_work SET state = 'pending', worker = NULL, lease_until = NULL, attempts = greatest(attempts - 1, 0)
                WHERE run_id = \(run.id) AND state = 'claimed' AND worker = \(worker.worker) AND domain = ANY(\(domains))
                """)
        }
    }

    public func record(_ record: ScanRecord) async throws {
        buffer.append(record)
        if oldestBuffered == nil { oldestBuffered = record.finishedAt }
        try await flushIfDue(now: record.finishedAt)
    }

    public func flushIfDue(now: Date) async throws {
        guard let oldest = oldestBuffered, let worker else { return }
        if buffer.count >= worker.batchSize || now.timeIntervalSince(oldest) >= worker.batchInterval { try await flush() }
    }

    /// Writes the buffered results in one transaction: the results upserted, their work rows
    /// `done`. On failure the batch goes back into the buffer for the next flush.
    public func flush() async throws {
        guard let worker, !buffer.isEmpty else { return }
        // One row per domain per statement (ON CONFLICT DO UPDATE may not touch a row twice).
        var latest: [String: ScanRecord] = [:]
        for record in buffer { latest[record.domain] = record }
        let batch = buffer
        buffer = []
        oldestBuffered = nil
        let records = latest.values.sorted { $0.domain < $1.domain }
        var binds = PostgresBindings(capacity: records.count * 14 + 2)
        binds.append(run.id)
        binds.append(worker.worker)
        var values: [String] = []
        for (offset, record) in records.enumerated() {
            let base = 3 + offset * 14
            values.append("($1, " + (base..<base + 14).map { "$\($0)" }.joined(separator: ", ") + ", $2)")
            binds.append(record.domain)
            binds.append(record.verdict)
            binds.append(record.mxStatus)
            binds.append(record.mxImplicit)
            binds.append(record.nullMX)
            binds.append(Int32(clamping: record.mxHosts))
            binds.append(record.hasTLSA)
            binds.append(record.tlsaSecure)
            binds.append(record.starttls)
            binds.append(record.broken)
            binds.append(record.deliveringHost)
            binds.append(record.reportJSON)
            binds.append(record.startedAt)
            binds.append(record.finishedAt)
        }
        let insert = PostgresQuery(unsafeSQL: """
            INSERT INTO scan_results (run_id, domain, verdict, mx_status, mx_implicit, null_mx, mx_hosts, has_tlsa, tlsa_secure,
                                      starttls, broken, delivering_host, report, started_at, finished_at, worker)
            SELECT v.run_id, v.domain, v.verdict, v.mx_status, v.mx_implicit, v.null_mx, v.mx_hosts, v.has_tlsa, v.tlsa_secure,
                   v.starttls, v.broken, v.delivering_host, v.report::json, v.started_at, v.finished_at, v.worker
            FROM (VALUES \(values.joined(separator: ", "))) AS v (run_id, domain, verdict, mx_status, mx_implicit, null_mx, mx_hosts,
                  has_tlsa, tlsa_secure, starttls, broken, delivering_host, report, started_at, finished_at, worker)
            ON CONFLICT (run_id, domain) DO UPDATE SET verdict = excluded.verdict, mx_status = excluded.mx_status,
                mx_implicit = excluded.mx_implicit, null_mx = excluded.null_mx, mx_hosts = excluded.mx_hosts,
                has_tlsa = excluded.has_tlsa, tlsa_secure = excluded.tlsa_secure, starttls = excluded.starttls,
                broken = excluded.broken, delivering_host = excluded.delivering_host, report = excluded.report,
                started_at = excluded.started_at, finished_at = excluded.finished_at, worker = excluded.worker
            """, binds: binds)
        let domains = records.map(\.domain)
        let runID = run.id
        do {
            try await statement("writing \(records.count) results") {
                try await client.withTransaction(logger: logger) { connection in
                    try await connection.rows(insert, logger: logger)
                    try await connection.rows("""
                        UPDATE scan_work SET state = 'done', lease_until = NULL WHERE run_id = \(runID) AND domain = ANY(\(domains))
                        """, logger: logger)
                }
            }
        } catch {
            buffer = batch + buffer
            oldestBuffered = batch.first?.finishedAt
            throw error
        }
    }

    public func remaining() async throws -> Int {
        let attempts = Int32(worker?.maxAttempts ?? Int.max >> 33)
        return try await statement("counting unfinished domains") {
            Int(try await client.rows("SELECT count(*) FROM scan_work WHERE run_id = \(run.id) AND state <> 'done' AND attempts < \(attempts)")
                .first?.decode(Int64.self) ?? 0)
        }
    }

    /// Domains given up after `maxAttempts` claims without a result.
    public func givenUp() async throws -> [String] {
        let attempts = Int32(worker?.maxAttempts ?? 3)
        return try await statement("listing given-up domains") {
            try await client.rows("SELECT domain FROM scan_work WHERE run_id = \(run.id) AND state <> 'done' AND attempts >= \(attempts) ORDER BY domain LIMIT 1000")
                .map { try $0.decode(String.self) }
        }
    }

    public func counts() async throws -> ScanCounts {
        try await statement("counting") {
            let (total, done) = try await client.rows("SELECT count(*), count(*) FILTER (WHERE state = 'done') FROM scan_work WHERE run_id = \(run.id)")
                .first.map { row -> (Int64, Int64) in try row.decode((Int64, Int64).self) } ?? (Int64(0), Int64(0))
            var verdicts: [String: Int] = [:]
            for row in try await client.rows("SELECT verdict, count(*) FROM scan_results WHERE run_id = \(run.id) GROUP BY verdict") {
                let (verdict, n) = try row.decode((String, Int64).self)
                verdicts[verdict] = Int(n)
            }
            return ScanCounts(total: Int(total), done: Int(done), verdicts: verdicts)
        }
    }

    /// Every result of the run, by domain (tests and tools).
    public func verdicts() async throws -> [String: String] {
        try await statement("reading verdicts") {
            var result: [String: String] = [:]
            for row in try await client.rows("SELECT domain, verdict FROM scan_results WHERE run_id = \(run.id)") {
                let (domain, verdict) = try row.decode((String, String).self)
                result[domain] = verdict
            }
            return result
        }
    }

    public func reports(after: String?, limit: Int) async throws -> [(domain: String, json: String)] {
        let limit = Int32(max(1, limit))
        return try await statement("reading results") {
            try await client.rows("""
                SELECT domain, report::text FROM scan_results WHERE run_id = \(run.id) AND domain > \(after ?? "") ORDER BY domain LIMIT \(limit)
                """).map { try $0.decode((String, String).self) }.map { (domain: $0.0, json: $0.1) }
        }
    }

    /// Runs one read-only statement for tests and tools: the rows as text columns.
    public func query(_ sql: String) async throws -> [[String?]] {
        try await statement("query") {
            try await client.rows(PostgresQuery(unsafeSQL: sql)).map { row in
                row.map { cell in cell.bytes.map { String(buffer: $0) } }
            }
        }
    }

    public func close() async throws {
        defer {
            renewal?.cancel()
            clientTask.cancel()
        }
        try await flush()
    }

    // MARK: - Plumbing

    @discardableResult
    func statement<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.failure(error, url, what)
        }
    }

    @discardableResult
    static func statement<T: Sendable>(_ url: PostgresURL, _ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw failure(error, url, what)
        }
    }

    /// `error` as a `ScanStoreError` naming the database and the step.
    static func failure(_ error: any Error, _ url: PostgresURL, _ what: String) -> ScanStoreError {
        if let inner = (error as? PostgresTransactionError)?.closureError as? ScanStoreError { return inner }
        return (error as? ScanStoreError) ?? ScanStoreError(.sql, "\(url): \(what): \(explain(error))")
    }

    /// PSQLError's description hides the server's message on purpose; its debug form has it.
    static func explain(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return explain(inner) }
            return "transaction failed"
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))" }
            return "\(error.code)\(error.underlying.map { ": \($0)" } ?? "")"
        }
        return String(describing: error)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension PostgresClient {
    /// Runs `query` and reads every row: the pool takes its connection back only once a
    /// result has been read to the end, so no statement's result is ever left unread.
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger? = nil) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}

extension PostgresConnection {
    /// `query` with every row read (see `PostgresClient.rows`).
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
