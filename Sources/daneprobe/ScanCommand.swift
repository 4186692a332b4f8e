import ArgumentParser
import DANE
import Foundation
import Logging
import MailProbe
import ScanStore
import ScanStorePostgres
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

        With --db postgres://USER@HOST[:PORT]/DB this process is one worker of run --run: \
        start the same command on as many machines as you like (docs/scale-out.md). Every \
        worker loads the input (duplicates ignored; with --shard K/N each loads a part), claims \
        batches of unfinished domains under a lease it renews (--lease), and writes results \
        once per domain and run; a worker that dies leaves leases that expire and are claimed \
        again, and one restarted under the same --worker name takes them back at once.
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

    @Option(help: ArgumentHelp("The results database: a SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=require] shared by many workers.", valueName: "PATH|URL"))
    var db: String = "scan.sqlite"

    @Option(help: ArgumentHelp("PostgreSQL: the run's name; a new name scans the input again as a new run.", valueName: "NAME"))
    var run: String?

    @Option(help: ArgumentHelp("PostgreSQL: this worker's name, unique among live workers (default: HOST-PID); a restarted worker of the same name takes its leases back.", valueName: "NAME"))
    var worker: String?

    @Option(help: "PostgreSQL: seconds a claim holds without renewal (renewed every third of it while the worker runs).")
    var lease: Double = 300

    @Option(help: "PostgreSQL: claims of one domain without a result before it is given up.")
    var maxAttempts = 3

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
        if PostgresURL.isPostgres(db) {
            do { _ = try PostgresURL(parsing: db) } catch { throw ValidationError("--db: \(error)") }
            guard lease >= 1 else { throw ValidationError("--lease must be at least 1 second") }
            guard maxAttempts > 0 else { throw ValidationError("--max-attempts must be positive") }
            if let run, run.isEmpty { throw ValidationError("--run must not be empty") }
        } else if run != nil || worker != nil {
            throw ValidationError("--run and --worker are for a PostgreSQL --db (postgres://…)")
        }
    }

    /// What decides a run's results, recorded with the run (PostgreSQL): every worker of one
    /// run must agree on it. Concurrency, rate and the like are each worker's own.
    var runConfiguration: String {
        var fields: [String: String] = [
            "insecureMXPolicy": insecureMXPolicy, "port": String(port), "timeout": String(timeout),
        ]
        fields["rootHints"] = resolution.rootHints
        fields["resolver"] = resolution.resolver
        fields["trustAnchor"] = resolution.trustAnchor
        fields["at"] = resolution.at
        if resolution.allowPrivateTargets { fields["allowPrivateTargets"] = "true" }
        if !resolution.addressMap.isEmpty { fields["addressMap"] = resolution.addressMap.joined(separator: " ") }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// HOST-PID: unique among live processes.
    static var defaultWorkerName: String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "worker"
        return "\(host)-\(getpid())"
    }

    /// Opens the database `--db` names: SQLite, or a worker of a PostgreSQL run.
    func openQueue() async throws -> (queue: any ScanQueue, name: String) {
        if PostgresURL.isPostgres(db) {
            let url = try PostgresURL(parsing: db).withPasswordFromEnvironment(ProcessInfo.processInfo.environment)
            var options = PostgresScanStore.WorkerOptions(worker: worker ?? Self.defaultWorkerName)
            options.lease = .milliseconds(Int64(lease * 1000))
            options.batchSize = batch
            options.maxAttempts = maxAttempts
            let runName = run ?? "default"
            let store = try await PostgresScanStore.openWorker(url, run: runName, configuration: runConfiguration, options: options)
            return (store, "\(url) run \(runName)")
        }
        return (try await ScanStore.open(path: db, batchSize: batch), db)
    }

    func run() async throws {
        let scanner: DomainScanner
        let store: any ScanQueue
        let storeName: String
        let lines: ScanInputLines
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
                lines = ScanInputLines(handle: .standardInput, name: "standard input")
            } else {
                guard let handle = FileHandle(forReadingAtPath: input) else {
                    throw ScanStoreError(.open, "\(input): cannot open the input (\(FileManager.default.fileExists(atPath: input) ? "not readable" : "no such file"))")
                }
                lines = ScanInputLines(handle: handle, name: input)
            }
            (store, storeName) = try await openQueue()
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
            try? await store.close()
            printError("daneprobe scan: --jsonl: \(error)")
            throw ExitCode(2)
        }
        let problems: [ScanInput.Problem]
        let before: ScanCounts
        do {
            problems = try await scanner.load(lines, into: store)
            before = try await store.counts()
        } catch {
            try? await store.close()
            printError("daneprobe scan: \(storeName): \(error)")
            throw ExitCode(1)
        }
        if let error = lines.error {
            try? await store.close()
            printError("daneprobe scan: reading \(error); what was read is loaded, run again to go on")
            throw ExitCode(2)
        }
        for problem in problems.prefix(1000) { printError("daneprobe scan: \(input): \(problem) (skipped)") }
        if problems.count > 1000 { printError("daneprobe scan: \(input): \(problems.count - 1000) more lines that are not domains (skipped)") }
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
        let after: ScanCounts
        let givenUp: [String]
        do {
            after = try await store.counts()
            givenUp = try await (store as? PostgresScanStore)?.givenUp() ?? []
            try await store.close()
        } catch {
            printError("daneprobe scan: \(storeName): \(error)")
            throw ExitCode(1)
        }
        let verdicts = after.verdicts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var out = StandardOutput()
        out.write("\(after.done)/\(after.total) domains done in \(storeName) (\(summary?.checked ?? 0) this run)\(verdicts.isEmpty ? "" : ": \(verdicts)")\n")
        if let summary, summary.remaining > 0 {
            out.write("interrupted: \(summary.remaining) pending; resumable: run the same command again to continue\n")
        }
        if !givenUp.isEmpty {
            out.write("given up after \(maxAttempts) claims without a result: \(givenUp.count) domains (\(givenUp.prefix(5).joined(separator: ", "))\(givenUp.count > 5 ? ", …" : ""))\n")
        }
        out.flush()
        Foundation.exit(0)
    }
}
