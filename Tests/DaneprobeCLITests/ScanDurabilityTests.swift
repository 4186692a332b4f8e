import Foundation
import PeerTestSupport
import ScanStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `daneprobe scan` killed with SIGKILL at 20 moments chosen by a seeded generator, each run
/// resuming the last: no stored domain is ever lost, none is stored twice, the database stays
/// intact after every kill, and the final run completes the scan.
@Suite(.serialized) struct ScanDurabilityTests {
    /// SplitMix64 (Steele, Lea, Flood 2014): a seeded generator, so every run of the test
    /// kills at the same moments.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Snapshot {
        var done: Set<String>
        var rows: Int
        var distinct: Int
        var integrity: String
    }

    static func snapshot(_ path: String) async throws -> Snapshot {
        let store = try await ScanStore.open(path: path)
        let done = Set(try await store.verdicts().keys)
        let counts = try await store.query("SELECT count(*) AS n, count(DISTINCT domain) AS d FROM domains").first
        let integrity = try await store.query("PRAGMA integrity_check").first?.column("integrity_check")?.string ?? "?"
        try await store.close()
        return Snapshot(done: done, rows: Int(counts?.column("n")?.integer ?? -1), distinct: Int(counts?.column("d")?.integer ?? -1),
                        integrity: integrity)
    }

    /// 60 generated lab domains, concurrency 2. Each round picks how many JSON result lines to
    /// see before the kill (0: kill right after the spawn, during start-up and the database
    /// open) and the batch size (1–3), from the seeded generator.
    @Test(.timeLimit(.minutes(5))) func twentyKillsAtSeededMomentsLoseNothing() async throws {
        let folder = try TemporaryDirectory(prefix: "scan-kill")
        defer { folder.remove() }
        let manifestPath = folder.url.appendingPathComponent("manifest.json").path
        let serve = try RunningServe(["--manifest", manifestPath, "--generate", "60"], command: ["lab", "serve"],
                                     ready: { $0.contains("\nready\n") })
        defer { _ = serve.terminate() }
        let manifest = try JSONDecoder().decode(ScanCommandTests.Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        let domains = Set(manifest.scenarios.map { ScanStore.key($0.domain) })
        #expect(domains.count == 60)
        let anchor = folder.url.appendingPathComponent("anchor.ds").path
        try manifest.trust_anchor.write(toFile: anchor, atomically: true, encoding: .utf8)
        let input = folder.url.appendingPathComponent("domains.txt").path
        try manifest.scenarios.map(\.domain).joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let db = folder.url.appendingPathComponent("scan.sqlite").path
        let arguments = [input, "--resolver", manifest.resolver, "--trust-anchor", anchor, "--timeout", "3", "--no-progress", "--db", db,
                         "--concurrency", "2"]
            + manifest.mail_servers.flatMap { ["--address-map", "\($0.published)=\($0.listening)"] }

        var random = SeededGenerator(state: 20_261_201)
        var stored: Set<String> = []
        var kills = 0
        var round = 0
        var log: [String] = []
        while kills < 20, round < 60 {
            round += 1
            let lines = Int.random(in: 0...4, using: &random)
            let batch = Int.random(in: 1...3, using: &random)
            let scan = try ScanCommandTests.RunningScan(arguments + ["--jsonl", "/dev/stdout", "--batch", "\(batch)"])
            let seen = lines == 0 ? 0 : scan.awaitLines(lines)
            kill(scan.process.processIdentifier, SIGKILL)
            let result = scan.finish()
            if result.status == SIGKILL { kills += 1 } else { #expect(result.status == 0, "round \(round): status \(result.status)") }
            let now = try await Self.snapshot(db)
            #expect(now.integrity == "ok", "round \(round)")
            #expect(now.rows == now.distinct, "round \(round): a domain stored twice")
            #expect(now.done.isSuperset(of: stored), "round \(round) (saw \(seen) lines, batch \(batch)): lost \(stored.subtracting(now.done))")
            #expect(now.done.isSubset(of: domains), "round \(round): \(now.done.subtracting(domains))")
            log.append("\(lines)/\(batch):\(seen)→\(now.done.count)")
            stored = now.done
            if stored == domains { break }
        }
        #expect(kills >= 20, "only \(kills) kills in \(round) rounds: the scan finished first (\(stored.count) stored)")
        // Rounds as lines-awaited/batch:lines-seen→domains-stored; the kills made progress.
        print("scan kill rounds: \(log.joined(separator: " "))")
        #expect(stored.count > 0 && stored.count < 60, "\(stored.count) stored before the last run")

        let last = try CLI.run(["scan"] + arguments)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("60/60 domains done"), "\(last.stdout)")
        #expect(last.stdout.contains("(\(60 - stored.count) this run)"), "\(last.stdout)")
        let final = try await Self.snapshot(db)
        #expect(final.integrity == "ok")
        #expect(final.done == domains)
        #expect(final.rows == 60 && final.distinct == 60)
    }
}
