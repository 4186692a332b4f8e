import ArgumentParser
import DANE
import Foundation
import Logging
import MailProbe
import ScanStore
import Scanner
import ServiceLifecycle

/// `daneprobe scan`: the `check` engine over many domains into a results database (issue 8).
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Check many mail domains into a results database (resumable).",
        discussion: """
        Reads one domain a line, or a Tranco-style rank,domain CSV (FILE, or - for standard \
        input); blank lines and # comments are skipped, bad lines reported with their numbers. \
        Every domain is checked as `check` does, through one shared resolver cache, with at most \
        --concurrency at once, at most --rate started per second, and at most --per-address \
        domains at once talking to one MX address. Results go to --db (SQLite, WAL, batched \
        transactions) and with --jsonl as `check --json` lines. Re-running the same command \
        skips what is done; SIGINT/SIGTERM finishes what is in flight and exits 0, resumable.
        """
    )

    @Argument(help: ArgumentHelp("The domains: a file, or - for standard input.", valueName: "FILE"))
    var input: String

    @OptionGroup var resolution: ResolverOptions

    @Option(help: ArgumentHelp("Secure TLSA under an insecure MX RRset: dane, may or encrypt.", valueName: "POLICY"))
    var insecureMXPolicy: String = "dane"

    @Option(help: "Domains checked at once.")
    var concurrency = 32

    @Option(help: "Domains started per second (default: no limit).")
    var rate: Double?

    @Option(help: "Domains at once connecting to any one MX address.")
    var perAddress = 4

    @Option(help: "Seconds to wait for each DNS answer, connection and SMTP reply.")
    var timeout: Double = 10

    @Option(help: "The SMTP port (also the TLSA owner _PORT._tcp.HOST).")
    var port: Int = 25

    @Option(help: ArgumentHelp("The results database.", valueName: "PATH"))
    var db: String = "scan.sqlite"

    @Option(help: "Results written per transaction (also written once the oldest unwritten result is a second old).")
    var batch = 200

    @Option(help: ArgumentHelp("Also append each result as a JSON line (check --json's schema) to FILE.", valueName: "FILE"))
    var jsonl: String?

    @Option(help: ArgumentHelp("Scan only shard K of N (1-based), by a stable hash of the domain.", valueName: "K/N"))
    var shard: String?

    @Flag(help: "No progress on standard error.")
    var noProgress = false

    @Option(help: "Seconds between plain progress lines when standard error is not a terminal.")
    var progressInterval: Double = 10

    func validate() throws {
        guard InsecureMXPolicy(rawValue: insecureMXPolicy) != nil else { throw ValidationError("--insecure-mx-policy: expected dane, may or encrypt") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        guard perAddress > 0 else { throw ValidationError("--per-address must be positive") }
        guard rate.map({ $0 > 0 }) ?? true else { throw ValidationError("--rate must be positive") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1-65535") }
        guard progressInterval > 0 else { throw ValidationError("--progress-interval must be positive") }
        if let shard, ScanShard(parsing: shard) == nil { throw ValidationError("--shard: expected K/N with 1 ≤ K ≤ N") }
    }

    func run() async throws {
        let scanner: DomainScanner
        let store: ScanStore
        let text: String
        do {
            var options = MailProbeOptions()
            options.insecureMXPolicy = InsecureMXPolicy(rawValue: insecureMXPolicy) ?? .dane
            options.port = port
            options.timeout = .milliseconds(Int(timeout * 1000))
            options.addressMap = try resolution.addressMapping()
            if resolution.at != nil { options.now = Date(timeIntervalSince1970: TimeInterval(resolution.moment)) }
            var scan = DomainScanner.Options()
            scan.concurrency = concurrency
            scan.rate = rate
            scan.perAddressLimit = perAddress
            scan.port = port
            scan.shard = shard.flatMap(ScanShard.init(parsing:)) ?? .all
            scanner = DomainScanner(probe: MailProbe(resolver: try resolution.makeResolver(timeout: min(timeout, 5)), options: options), options: scan)
            if input == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                text = try String(contentsOfFile: input, encoding: .utf8)
            }
            store = try await ScanStore.open(path: db, batchSize: batch)
        } catch {
            printError("daneprobe scan: \(error)")
            throw ExitCode(2)
        }
        let jsonlHandle: FileHandle?
        do {
            jsonlHandle = try jsonl.map { path in
                if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                _ = try? handle.seekToEnd()  // a pipe (/dev/stdout) cannot seek: it only appends anyway
                return handle
            }
        } catch {
            printError("daneprobe scan: --jsonl: \(error)")
            throw ExitCode(2)
        }
        let problems: [ScanInput.Problem]
        let before: ScanStore.Counts
        do {
            problems = try await scanner.load(text.split(separator: "\n", omittingEmptySubsequences: false), into: store)
            before = try await store.counts()
        } catch {
            try? await store.close()
            printError("daneprobe scan: \(db): \(error)")
            throw ExitCode(1)
        }
        for problem in problems { printError("daneprobe scan: \(input): \(problem) (skipped)") }
        let progress = ScanProgressPrinter(enabled: !noProgress, interval: progressInterval, alreadyDone: before.done, total: before.total)
        let service = ScanService(scanner: scanner, store: store, onResult: { report in
            if let jsonlHandle { jsonlHandle.write(Data((report.jsonLine() + "\n").utf8)) }
            progress.finished(report.verdict.rawValue)
        })
        let logger = Logger(label: "daneprobe.scan", factory: { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(configuration: .init(services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            progress.end()
            try? await store.close()
            printError("daneprobe scan: \(error)")
            throw ExitCode(1)
        }
        progress.end()
        try? jsonlHandle?.close()
        let summary = service.summary.withLock { $0 }
        let after = try await store.counts()
        try await store.close()
        let verdicts = after.verdicts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var out = StandardOutput()
        out.write("\(after.done)/\(after.total) domains done in \(db) (\(summary?.checked ?? 0) this run)\(verdicts.isEmpty ? "" : ": \(verdicts)")\n")
        if let summary, summary.remaining > 0 {
            out.write("interrupted: \(summary.remaining) pending; resumable: run the same command again to continue\n")
        }
        out.flush()
        Foundation.exit(0)
    }
}
