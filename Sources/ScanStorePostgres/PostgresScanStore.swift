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

    // MARK: - Opening

    /// Connects as a worker of run `runName`: migrates the schema, creates the run with
    /// `configuration` (a JSON object) if it is new or checks that it matches, and takes back
    /// the leases still held under this worker's name.
    public static func openWorker(_ url: PostgresURL, run runName: String, configuration: String, options: WorkerOptions,
                                  logger: Logger = PostgresScanStore.quietLogger) async throws -> PostgresScanStore {
        let (client, task) = try await connect(url, logger: logger)
        do {
            try await migrate(client, url: url, logger: logger)
            let run = try await createOrJoin(client, name: runName, configuration: configuration, url: url)
            let store = PostgresScanStore(url: url, run: run, client: client, clientTask: task, worker: options, logger: logger)
            try await store.takeBackOwnLeases()
            await store.startRenewing()
            return store
        } catch {
            task.cancel()
            throw error
        }
    }

    /// Connects to read results: run `runName`, or the most recently started run.
    public static func openReader(_ url: PostgresURL, run runName: String?, logger: Logger = PostgresScanStore.quietLogger) async throws -> PostgresScanStore {
        let (client, task) = try await connect(url, logger: logger)
        do {
            let version = try await schemaVersion(client, url: url)
            guard let version else { throw ScanStoreError(.open, "\(url): not a daneprobe scan database (no daneprobe_schema table)") }
            guard version <= PostgresScanSchema.currentVersion else {
                throw ScanStoreError(.newerSchema, "\(url) has schema version \(version); this daneprobe knows up to \(PostgresScanSchema.currentVersion)")
            }
            let query: PostgresQuery = runName.map { "SELECT id, name, started_at FROM scan_runs WHERE name = \($0)" }
                ?? "SELECT id, name, started_at FROM scan_runs ORDER BY started_at DESC, id DESC LIMIT 1"
            let rows = try await statement(url, "reading the run") {
                try await client.rows(query).map { try $0.decode((Int64, String, Date).self) }
            }
            guard let (id, name, started) = rows.first else {
                throw ScanStoreError(.open, runName.map { "\(url): no run named \"\($0)\"" } ?? "\(url): no scan run yet")
            }
            return PostgresScanStore(url: url, run: Run(id: id, name: name, startedAt: started), client: client, clientTask: task, worker: nil, logger: logger)
        } catch {
            task.cancel()
            throw error
        }
    }

    /// Every run in the database, newest first, with its domain and result counts.
    public func runs() async throws -> [(run: Run, domains: Int, done: Int)] {
        try await statement("listing runs") {
            try await client.rows("""
                SELECT r.id, r.name, r.started_at,
                       (SELECT count(*) FROM scan_work w WHERE w.run_id = r.id),
                       (SELECT count(*) FROM scan_work w WHERE w.run_id = r.id AND w.state = 'done')
                FROM scan_runs r ORDER BY r.started_at DESC, r.id DESC
                """).map { row in
                let (id, name, started, domains, done) = try row.decode((Int64, String, Date, Int64, Int64).self)
                return (Run(id: id, name: name, startedAt: started), Int(domains), Int(done))
            }
        }
    }

    /// The longest a worker waits before asking again whether work is left.
    static let pollInterval = 1.0

    public static let quietLogger = Logger(label: "daneprobe.scanstore.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A client with at most two connections (this worker's statements are sequential; the
    /// second serves lease renewal while a batch is written), checked with one `SELECT 1`
    /// within `connectTimeout`.
    static func connect(_ url: PostgresURL, logger: Logger) async throws -> (PostgresClient, Task<Void, Never>) {
        let tls: PostgresClient.Configuration.TLS
        switch url.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                         database: url.database, tls: tls)
        configuration.options.maximumConnections = 2
        configuration.options.connectTimeout = .seconds(10)
        // One plain connection first: the pool retries a refused or failing connection in the
        // background, so its first query would only time out; this one fails at once, with
        // the server's or the socket's reason.
        do {
            let probeTLS: PostgresConnection.Configuration.TLS
            switch url.tls {
            case .disable: probeTLS = .disable
            case .prefer: probeTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: probeTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            var probe = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                         database: url.database, tls: probeTLS)
            probe.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: probe, id: 0, logger: logger).get()
            try? await connection.close()
        } catch {
            throw ScanStoreError(.open, "\(url): \(Self.explain(error))")
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let task = Task { await client.run() }
        return (client, task)
    }

    /// The schema version, or nil when the database has no daneprobe schema yet.
    static func schemaVersion(_ client: PostgresClient, url: PostgresURL) async throws -> Int? {
        try await statement(url, "reading the schema version") {
            let exists = try await client.rows("SELECT to_regclass('daneprobe_schema') IS NOT NULL").first?.decode(Bool.self) ?? false
            guard exists else { return nil }
            return try await client.rows("SELECT version FROM daneprobe_schema").first.map { Int(try $0.decode(Int32.self)) } ?? 0
        }
    }

    /// Applies the migrations the database lacks, in one transaction under an advisory lock
    /// (concurrent workers wait for the first and then find nothing to do).
    static func migrate(_ client: PostgresClient, url: PostgresURL, logger: Logger) async throws {
        try await statement(url, "migrating the schema") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.rows("SELECT pg_advisory_xact_lock(\(PostgresScanSchema.migrationLock))", logger: logger)
                try await connection.rows("CREATE TABLE IF NOT EXISTS daneprobe_schema (version INTEGER NOT NULL)", logger: logger)
                let rows = try await connection.rows("SELECT version FROM daneprobe_schema", logger: logger)
                var version = 0
                if let row = rows.first {
                    version = Int(try row.decode(Int32.self))
                } else {
                    try await connection.rows("INSERT INTO daneprobe_schema (version) VALUES (0)", logger: logger)
                }
                guard version <= PostgresScanSchema.currentVersion else {
                    throw ScanStoreError(.newerSchema, "\(url) has schema version \(version); this daneprobe knows up to \(PostgresScanSchema.currentVersion)")
                }
                for statements in PostgresScanSchema.migrations.dropFirst(version) {
                    for sql in statements { try await connection.rows(PostgresQuery(unsafeSQL: sql), logger: logger) }
                }
                let current = Int32(PostgresScanSchema.currentVersion)
                try await connection.rows("UPDATE daneprobe_schema SET version = \(current)", logger: logger)
            }
        }
    }

    /// The run named `name`, created with `configuration` if new; a run that exists with
    /// another configuration is refused (its results would not be comparable).
    static func createOrJoin(_ client: PostgresClient, name: String, configuration: String, url: PostgresURL) async throws -> Run {
        let rows = try await statement(url, "creating the run") {
            try await client.rows("INSERT INTO scan_runs (name, configuration) VALUES (\(name), \(configuration)::jsonb) ON CONFLICT (name) DO NOTHING")
            return try await client.rows("""
                SELECT id, started_at, configuration = \(configuration)::jsonb, configuration::text FROM scan_runs WHERE name = \(name)
                """).map { try $0.decode((Int64, Date, Bool, String).self) }
        }
        guard let (id, started, same, recorded) = rows.first else { throw ScanStoreError(.sql, "\(url): run \(name) vanished after its creation") }
        guard same else {
            throw ScanStoreError(.configuration, "run \"\(name)\" was started with other options (\(differences(recorded, configuration))): give every worker of a run the same options, or name a new run with --run")
        }
        return Run(id: id, name: name, startedAt: started)
    }

    /// The keys on which two configuration objects differ, as `key: run's → this worker's`.
    static func differences(_ recorded: String, _ mine: String) -> String {
        func object(_ text: String) -> [String: String] {
            guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
            return value.mapValues { "\($0)" }
        }
        let (theirs, ours) = (object(recorded), object(mine))
        let keys = Set(theirs.keys).union(ours.keys).filter { theirs[$0] != ours[$0] }.sorted()
        guard !keys.isEmpty else { return "\(recorded) vs \(mine)" }
        return keys.map { "\($0): \(theirs[$0].map { "\"\($0.prefix(60))\"" } ?? "none") → \(ours[$0].map { "\"\($0.prefix(60))\"" } ?? "none")" }.joined(separator: "; ")
    }

    func takeBackOwnLeases() async throws {
        guard let worker else { return }
        try await statement("taking back this worker's leases") {
            try await client.rows("""
                UPDATE scan_work SET state = 'pending', worker = NULL, lease_until = NULL
                WHERE run_id = \(run.id) AND state = 'claimed' AND worker = \(worker.worker)
                """)
        }
    }

    func startRenewing() {
        guard let worker else { return }
        let interval = worker.lease / 3
        renewal = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                try? await self.renewLeases()
            }
        }
    }

    /// Extends every lease this worker holds by `lease` from now (database time).
    public func renewLeases() async throws {
        guard let worker else { return }
        let seconds = Self.seconds(worker.lease)
        try await statement("renewing leases") {
            try await client.rows("""
                UPDATE scan_work SET lease_until = now() + \(seconds) * interval '1 second'
                WHERE run_id = \(run.id) AND state = 'claimed' AND worker = \(worker.worker)
                """)
        }
    }

    // MARK: - ScanQueue

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
