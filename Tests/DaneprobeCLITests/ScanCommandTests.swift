import Foundation
import PeerTestSupport
import ScanStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `daneprobe scan` as a user runs it against `lab serve`: a scan killed with SIGKILL mid-way
/// and the same command again leave every domain in the database exactly once; SIGINT
/// finishes what is in flight and says the run is resumable.
@Suite(.serialized) struct ScanCommandTests {
    struct Manifest: Decodable {
        struct Server: Decodable { var published: String; var listening: String }
        struct Scenario: Decodable { var id: String; var domain: String; var expected: [String: String] }
        var trust_anchor: String
        var resolver: String
        var mail_servers: [Server]
        var scenarios: [Scenario]
    }

    /// A running `scan` whose `--jsonl /dev/stdout` lines are read as they come (blocking pipe
    /// reads, no sleeps).
    final class RunningScan {
        let process = Process()
        let out = Pipe()
        var buffer = ""

        init(_ arguments: [String]) throws {
            process.executableURL = CLI.binary
            process.arguments = ["scan"] + arguments
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            var none = sigset_t(), saved = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, &saved)
            defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
            try process.run()
        }

        /// Reads until `count` JSON lines have arrived (or the process closed its output).
        func awaitLines(_ count: Int) -> Int {
            while buffer.split(separator: "\n").filter({ $0.hasPrefix("{") }).count < count {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                buffer += String(decoding: data, as: UTF8.self)
            }
            return buffer.split(separator: "\n").filter { $0.hasPrefix("{") }.count
        }

        func finish() -> (status: Int32, output: String) {
            buffer += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, buffer)
        }
    }

    func withLab(_ body: (Manifest, [String], URL) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "scan-cli")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("manifest.json").path
        let serve = try RunningServe(["--manifest", path], command: ["lab", "serve"], ready: { $0.contains("\nready\n") })
        defer { _ = serve.terminate() }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let anchor = folder.url.appendingPathComponent("anchor.ds").path
        try manifest.trust_anchor.write(toFile: anchor, atomically: true, encoding: .utf8)
        let input = folder.url.appendingPathComponent("domains.csv").path
        let lines = ["# the lab"] + manifest.scenarios.enumerated().map { "\($0.offset + 1),\($0.element.domain)" } + ["not a domain"]
        try lines.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let arguments = [input, "--resolver", manifest.resolver, "--trust-anchor", anchor, "--timeout", "3", "--no-progress",
                         "--db", folder.url.appendingPathComponent("scan.sqlite").path]
            + manifest.mail_servers.flatMap { ["--address-map", "\($0.published)=\($0.listening)"] }
        try await body(manifest, arguments, folder.url)
    }

    @Test func killedMidScanThenResumedHasEveryDomainOnce() async throws {
        try await withLab { manifest, arguments, folder in
            let total = manifest.scenarios.count
            let killed = try RunningScan(arguments + ["--jsonl", "/dev/stdout", "--rate", "8", "--concurrency", "4", "--batch", "2"])
            #expect(killed.awaitLines(6) >= 6)
            kill(killed.process.processIdentifier, SIGKILL)
            let dead = killed.finish()
            #expect(dead.status == SIGKILL)
            #expect(dead.output.split(separator: "\n").filter { $0.hasPrefix("{") }.count < total, "the scan finished before the kill")

            let resumed = try CLI.run(["scan"] + arguments)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("line \(total + 2): not a domain name"), "\(resumed.stderr)")
            #expect(resumed.stdout.contains("\(total)/\(total) domains done"), "\(resumed.stdout)")
            let checkedNow = try #require(resumed.stdout.split(separator: "(").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) })
            #expect(checkedNow < total, "the resumed run redid domains the killed one had stored: \(resumed.stdout)")

            let store = try await ScanStore.open(path: folder.appendingPathComponent("scan.sqlite").path)
            let verdicts = try await store.verdicts()
            #expect(Set(verdicts.keys) == Set(manifest.scenarios.map { ScanStore.key($0.domain) }))
            let rows = try await store.query("SELECT count(*) AS n, count(DISTINCT domain) AS d, sum(status = 'done') AS done FROM domains")
            #expect(rows.first?.column("n")?.integer == total)
            #expect(rows.first?.column("d")?.integer == total)
            #expect(rows.first?.column("done")?.integer == total)
            #expect(verdicts["control-311.lab."] == "verified")
            #expect(try await store.query("PRAGMA integrity_check").first?.column("integrity_check")?.string == "ok")
            try await store.close()

            // `report` reads the database directly: every domain once, the verdicts as stored.
            let report = try CLI.run(["report", folder.appendingPathComponent("scan.sqlite").path, "--json"])
            #expect(report.status == 0, "\(report.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            #expect(summary["domains"] as? Int == total, "\(report.stdout)")
            let tallies = try #require(summary["verdicts"] as? [[String: Any]])
            var stored: [String: Int] = [:]
            for verdict in verdicts.values { stored[verdict, default: 0] += 1 }
            for tally in tallies {
                let key = try #require(tally["key"] as? String)
                #expect(tally["count"] as? Int == stored[key, default: 0], "\(key)")
            }
        }
    }

    @Test func sigintFinishesInFlightAndIsResumable() async throws {
        try await withLab { manifest, arguments, _ in
            let scan = try RunningScan(arguments + ["--jsonl", "/dev/stdout", "--rate", "8", "--concurrency", "2"])
            #expect(scan.awaitLines(3) >= 3)
            kill(scan.process.processIdentifier, SIGINT)
            let result = scan.finish()
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("resumable: run the same command again"), "\(result.output)")
            let again = try CLI.run(["scan"] + arguments)
            #expect(again.status == 0)
            #expect(again.stdout.contains("\(manifest.scenarios.count)/\(manifest.scenarios.count) domains done"), "\(again.stdout)")
            #expect(!again.stdout.contains("resumable"))
        }
    }
}
