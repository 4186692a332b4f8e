import Foundation
import PeerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `daneprobe scan --db postgres://…` as an orchestrator runs it (issue 9): three worker
/// processes on the same input and run, against `lab serve --generate` and a real PostgreSQL
/// (Debian's, started by `.ci/run` or the test). One worker is killed with SIGKILL while it
/// holds leases; every domain ends with exactly one result for the run, the verdicts the
/// generator expects, no lease left behind, and `report` gives byte for byte the report of
/// one worker scanning the same input into SQLite.
@Suite(.enabled(if: PostgresServer.available), .serialized) struct ScanWorkersTests {
    typealias Manifest = ScanCommandTests.Manifest
    typealias RunningScan = ScanCommandTests.RunningScan

    static let generated = 90

    struct Lab {
        var manifest: Manifest
        var arguments: [String]
        var input: String
        var folder: URL
        var expected: [String: String]
    }

    func withGeneratedLab(_ body: (Lab) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "scan-workers")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("manifest.json").path
        let serve = try RunningServe(["--manifest", path, "--generate", "\(Self.generated)"], command: ["lab", "serve"], ready: { $0.contains("\nready\n") })
        defer { _ = serve.terminate() }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let anchor = folder.url.appendingPathComponent("anchor.ds").path
        try manifest.trust_anchor.write(toFile: anchor, atomically: true, encoding: .utf8)
        let input = folder.url.appendingPathComponent("domains.csv").path
        try manifest.scenarios.enumerated().map { "\($0.offset + 1),\($0.element.domain)" }.joined(separator: "\n")
            .write(toFile: input, atomically: true, encoding: .utf8)
        let arguments = ["--resolver", manifest.resolver, "--trust-anchor", anchor, "--timeout", "3", "--no-progress"]
            + manifest.mail_servers.flatMap { ["--address-map", "\($0.published)=\($0.listening)"] }
        let expected = Dictionary(uniqueKeysWithValues: manifest.scenarios.map { ($0.domain.hasSuffix(".") ? $0.domain : $0.domain + ".", $0.expected["dane"] ?? "?") })
        try await body(Lab(manifest: manifest, arguments: arguments, input: input, folder: folder.url, expected: expected))
    }

    /// What one worker scanning the input into SQLite reports: the reference.
    func singleWorkerReport(_ lab: Lab) throws -> String {
        let db = lab.folder.appendingPathComponent("single.sqlite").path
        let scan = try CLI.run(["scan", lab.input, "--db", db, "--concurrency", "16"] + lab.arguments)
        #expect(scan.status == 0, "\(scan.stderr)")
        let report = try CLI.run(["report", db, "--json"])
        #expect(report.status == 0, "\(report.stderr)")
        return report.stdout
    }

    /// The checks every multi-worker run must pass.
    func expectOneResultPerDomain(_ lab: Lab, url: String, server: PostgresServer) throws {
        let rows = try server.psql(url: url, "SELECT domain, verdict FROM scan_results r JOIN scan_runs n ON n.id = r.run_id WHERE n.name = 'sweep' ORDER BY domain")
        var stored: [String: String] = [:]
        var duplicates: [String] = []
        for line in rows.split(separator: "\n") {
            let fields = line.split(separator: "|", maxSplits: 1).map(String.init)
            guard fields.count == 2 else { continue }
            if stored.updateValue(fields[1], forKey: fields[0]) != nil { duplicates.append(fields[0]) }
        }
        #expect(duplicates.isEmpty)
        #expect(stored.count == lab.expected.count, "\(stored.count) results for \(lab.expected.count) domains")
        let wrong = lab.expected.filter { stored[$0.key] != $0.value }.map { "\($0.key): expected \($0.value), stored \(stored[$0.key] ?? "nothing")" }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
        #expect(try server.psql(url: url, "SELECT state, count(*) FROM scan_work GROUP BY state") == "done|\(lab.expected.count)\n", "a lease was left behind")
        #expect(try server.psql(url: url, "SELECT count(*) FROM scan_work WHERE lease_until IS NOT NULL OR state <> 'done'") == "0\n")
    }

    /// A worker's command line. Only the worker the test watches streams its results to its
    /// standard output (read as they come); the others write theirs to a file, so no pipe
    /// the test is not reading can fill up and stall a worker.
    func workerArguments(_ lab: Lab, url: String, name: String, lease: Int = 300, watched: Bool = false) -> [String] {
        [lab.input, "--db", url, "--run", "sweep", "--worker", name, "--lease", "\(lease)", "--concurrency", "3", "--rate", "12",
         "--jsonl", watched ? "/dev/stdout" : lab.folder.appendingPathComponent("\(name)-\(UUID().uuidString).jsonl").path] + lab.arguments
    }

    @Test func threeWorkersOneKilledAndRestartedEveryDomainOnce() async throws {
        let server = try PostgresServer.get()
        let url = try server.createDatabase()
        defer { server.dropDatabase(url) }
        try await withGeneratedLab { lab in
            let reference = try singleWorkerReport(lab)
            let workers = try ["w1", "w2", "w3"].map { try RunningScan(workerArguments(lab, url: url, name: $0, watched: $0 == "w2")) }
            #expect(workers[1].awaitLines(4) >= 4)
            kill(workers[1].process.processIdentifier, SIGKILL)
            let killed = workers[1].finish()
            #expect(killed.status == SIGKILL)
            let held = try server.psql(url: url, "SELECT count(*) FROM scan_work WHERE worker = 'w2' AND state = 'claimed'")
            #expect(Int(held.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0, "w2 held no lease when it was killed: the kill proves nothing")
            // The orchestrator starts w2 again: it takes its leases back at once.
            let restarted = try RunningScan(workerArguments(lab, url: url, name: "w2"))
            for worker in [workers[0], workers[2], restarted] {
                let result = worker.finish()
                #expect(result.status == 0, "\(result.output.suffix(500))")
                #expect(result.output.contains("\(lab.expected.count)/\(lab.expected.count) domains done"), "\(result.output.suffix(300))")
            }
            try expectOneResultPerDomain(lab, url: url, server: server)
            let shared = try CLI.run(["report", url, "--json"])
            #expect(shared.status == 0, "\(shared.stderr)")
            #expect(shared.stdout == reference)
            let named = try CLI.run(["report", url, "--run", "sweep", "--json"])
            #expect(named.stdout == reference)
        }
    }

    @Test func aKilledWorkerThatNeverComesBackLosesNothingOnceItsLeasesExpire() async throws {
        let server = try PostgresServer.get()
        let url = try server.createDatabase()
        defer { server.dropDatabase(url) }
        try await withGeneratedLab { lab in
            let reference = try singleWorkerReport(lab)
            // Leases of 2 s: the survivors wait for the dead worker's to expire, then take them.
            let workers = try ["w1", "w2", "w3"].map { try RunningScan(workerArguments(lab, url: url, name: $0, lease: 2, watched: $0 == "w2")) }
            #expect(workers[1].awaitLines(4) >= 4)
            kill(workers[1].process.processIdentifier, SIGKILL)
            _ = workers[1].finish()
            let held = try server.psql(url: url, "SELECT count(*) FROM scan_work WHERE worker = 'w2' AND state = 'claimed'")
            #expect(Int(held.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0, "w2 held no lease when it was killed")
            for worker in [workers[0], workers[2]] {
                let result = worker.finish()
                #expect(result.status == 0, "\(result.output.suffix(500))")
                #expect(result.output.contains("\(lab.expected.count)/\(lab.expected.count) domains done"), "\(result.output.suffix(300))")
            }
            try expectOneResultPerDomain(lab, url: url, server: server)
            #expect(try server.psql(url: url, "SELECT count(*) > 0 FROM scan_work WHERE attempts = 2") == "t\n", "no domain was claimed twice: the dead worker's leases were never taken over")
            let shared = try CLI.run(["report", url, "--json"])
            #expect(shared.stdout == reference)
        }
    }

    @Test func aWorkerWithOtherOptionsIsRefusedAndANewRunScansAgain() async throws {
        let server = try PostgresServer.get()
        let url = try server.createDatabase()
        defer { server.dropDatabase(url) }
        try await withGeneratedLab { lab in
            let first = try CLI.run(["scan", lab.input, "--db", url, "--run", "sweep", "--concurrency", "16"] + lab.arguments)
            #expect(first.status == 0, "\(first.stderr)")
            let other = try CLI.run(["scan", lab.input, "--db", url, "--run", "sweep", "--insecure-mx-policy", "may"] + lab.arguments)
            #expect(other.status == 2)
            #expect(other.stderr.contains(#"insecureMXPolicy: "dane" → "may""#), "\(other.stderr)")
            let again = try CLI.run(["scan", lab.input, "--db", url, "--run", "sweep-2", "--insecure-mx-policy", "may", "--concurrency", "16"] + lab.arguments)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("\(lab.expected.count)/\(lab.expected.count) domains done"), "\(again.stdout)")
            let runs = try CLI.run(["report", url, "--list-runs"])
            let names = runs.stdout.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" }
            #expect(names == ["sweep-2", "sweep"], "\(runs.stdout)")
            #expect(runs.stdout.contains("\(lab.expected.count)/\(lab.expected.count) done"))
        }
    }
}
