import Foundation
import Synchronization

/// The PostgreSQL server the scan-out tests use: the one `.ci/run` started
/// (`DANEPROBE_TEST_POSTGRES`, an admin URL such as postgres://postgres@127.0.0.1:PORT/postgres),
/// or else a private one started with `.ci/postgres.sh` on first use and stopped when the test
/// process exits. Each test gets a database of its own (`createDatabase`).
package final class PostgresServer: Sendable {
    /// The admin database's URL.
    package let adminURL: String
    let host: String
    let port: String
    let user: String

    static let shared = Mutex<Result<PostgresServer, PostgresServerError>?>(nil)
    static let privateFolder = Mutex<String?>(nil)

    /// Whether a PostgreSQL server can be had: the CI's, or Debian's binaries to start one.
    package static var available: Bool {
        ProcessInfo.processInfo.environment["DANEPROBE_TEST_POSTGRES"] != nil
            || ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
                FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/pg_ctl")
            } && ExternalTool.available("psql")
    }

    init(adminURL: String) throws(PostgresServerError) {
        guard let components = URLComponents(string: adminURL), let host = components.host, let user = components.user else {
            throw PostgresServerError("not a postgres:// URL: \(adminURL)")
        }
        self.adminURL = adminURL
        self.host = host
        self.port = String(components.port ?? 5432)
        self.user = user
    }

    /// The server for this test process.
    package static func get() throws -> PostgresServer {
        try shared.withLock { cached in
            if let cached { return try cached.get() }
            let result = Result { () throws(PostgresServerError) -> PostgresServer in
                if let url = ProcessInfo.processInfo.environment["DANEPROBE_TEST_POSTGRES"] { return try PostgresServer(adminURL: url) }
                return try startPrivate()
            }
            cached = result
            return try result.get()
        }
    }

    static func startPrivate() throws(PostgresServerError) -> PostgresServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("daneprobe-postgres-\(UUID().uuidString)").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".ci/postgres.sh").path
        let result: ToolResult
        do {
            result = try ExternalTool(name: "postgres.sh", path: script).run(["start", folder], timeout: 120)
        } catch {
            throw PostgresServerError("\(script) start: \(error)")
        }
        guard result.status == 0 else { throw PostgresServerError(result.description) }
        privateFolder.withLock { $0 = folder }
        atexit {
            guard let folder = PostgresServer.privateFolder.withLock({ $0 }) else { return }
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".ci/postgres.sh").path
            _ = try? ExternalTool(name: "postgres.sh", path: script).run(["stop", folder], timeout: 60)
            try? FileManager.default.removeItem(atPath: folder)
        }
        return try PostgresServer(adminURL: result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A new empty database; its postgres:// URL.
    package func createDatabase() throws -> String {
        let name = "daneprobe_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try psql("postgres", "CREATE DATABASE \(name)")
        return "postgres://\(user)@\(host):\(port)/\(name)"
    }

    /// Drops a database `createDatabase` made (ends its sessions first).
    package func dropDatabase(_ url: String) {
        guard let name = URLComponents(string: url)?.path.dropFirst(), !name.isEmpty else { return }
        _ = try? psql("postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs `sql` in `database` with psql; the rows unaligned, `|`-separated.
    @discardableResult
    package func psql(_ database: String, _ sql: String) throws -> String {
        let result = try ExternalTool.require("psql").run(["-h", host, "-p", port, "-U", user, "-d", database, "-X", "-A", "-t", "-q",
                                                           "-v", "ON_ERROR_STOP=1", "-c", sql], timeout: 60)
        guard result.status == 0 else { throw ToolError.failed(result) }
        return result.stdoutText
    }

    /// `psql` on the database of `url`.
    @discardableResult
    package func psql(url: String, _ sql: String) throws -> String {
        try psql(String(URLComponents(string: url)?.path.dropFirst() ?? ""), sql)
    }
}

package struct PostgresServerError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
