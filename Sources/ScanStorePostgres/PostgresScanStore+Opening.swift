import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import ScanStore

/// Opening a `PostgresScanStore`: connecting, migrating the schema, creating or joining a
/// run, taking back a restarted worker's leases, renewing leases.
extension PostgresScanStore {

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
}
