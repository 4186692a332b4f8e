import ArgumentParser
import DNSCore
import Foundation
import Reports
import ScanStore
import ScanStorePostgres

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Sum up many domains' check results: tables, JSON, or an HTML page with charts.",
        discussion: """
        FILE is the SQLite database of `daneprobe scan` (its finished domains), or JSON lines \
        in the schema of `check --json` (and `scan --jsonl`), one domain a line; `-` reads \
        standard input. Prints the counts of issue 8 (domains with MX, signed \
        MX, TLSA, usable, matching, STARTTLS, verdicts, failure reasons, TLSA parameters, partial \
        DANE, rollover readiness) as a table, or as one JSON object with --json. --html OUT also \
        writes one self-contained HTML page (inline SVG charts, no script, nothing fetched).

        FILE may also be postgres://USER@HOST[:PORT]/DB, the database shared by `scan` workers: \
        the report of --run NAME (default: the run started last), the same report a SQLite \
        database of the same results gives; --list-runs lists the runs.
        """
    )

    @Argument(help: "A scan database (SQLite file or postgres:// URL), JSON lines of DomainReports, or - for standard input.")
    var file: String

    @Option(help: ArgumentHelp("PostgreSQL: the run to report (default: the run started last).", valueName: "NAME"))
    var run: String?

    @Flag(help: "PostgreSQL: list the runs (name, start, domains, done) instead.")
    var listRuns = false

    func validate() throws {
        if !PostgresURL.isPostgres(file), run != nil || listRuns { throw ValidationError("--run and --list-runs are for a postgres:// database") }
        if PostgresURL.isPostgres(file) {
            do { _ = try PostgresURL(parsing: file) } catch { throw ValidationError("\(error)") }
        }
    }

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Also write the report as a self-contained HTML page to this file.", valueName: "OUT"))
    var html: String?

    func run() async throws {
        let summary: ReportSummary
        do {
            if PostgresURL.isPostgres(file) {
                let store = try await PostgresScanStore.openReader(try PostgresURL(parsing: file).withPasswordFromEnvironment(ProcessInfo.processInfo.environment), run: run)
                if listRuns {
                    let runs = try await store.runs()
                    try await store.close()
                    var output = StandardOutput()
                    for entry in runs {
                        output.write("\(entry.run.name)\t\(DNSSECTime.rfc3339(Int64(entry.run.startedAt.timeIntervalSince1970)))\t\(entry.done)/\(entry.domains) done\n")
                    }
                    output.flush()
                    return
                }
                summary = try await Self.summarize(store)
            } else if Self.isSQLite(file) {
                summary = try await Self.summarize(try await ScanStore.open(path: file))
            } else {
                summary = try Self.summarize(jsonLinesAt: file)
            }
        } catch let error as ScanStoreError {
            printError("daneprobe report: \(error)")
            throw ExitCode(2)
        } catch {
            printError("daneprobe report: cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        if let html {
            do {
                try Data(ReportHTMLRenderer.render(summary).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                printError("daneprobe report: cannot write \(html): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        var output = StandardOutput()
        output.write(json ? ReportJSONRenderer.render(summary) : ReportTextRenderer.render(summary))
        output.flush()
    }

    /// Reads `path` (or standard input for `-`) in 64 KiB chunks into a summary: constant
    /// memory for any number of lines. A results database becomes another source feeding a
    /// `ReportAccumulator` (`ReportAccumulator.summarize(_:)` takes any AsyncSequence).
    /// Whether `path` starts with SQLite's file header, "SQLite format 3\0" (sqlite.org/fileformat.html §1.3.1).
    static func isSQLite(_ path: String) -> Bool {
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3".utf8 + [0])
    }

    /// The finished domains of a scan database (SQLite or a PostgreSQL run), a page at a time,
    /// through the same JSON-line decoding as a file; the store is closed after.
    static func summarize(_ store: any ScanResultSource) async throws -> ReportSummary {
        var accumulator = ReportAccumulator()
        var splitter = JSONLineSplitter()
        var after: String?
        do {
            while true {
                let page = try await store.reports(after: after, limit: 1_000)
                guard let last = page.last else { break }
                for entry in page { splitter.feed(Array((entry.json + "\n").utf8), into: &accumulator) }
                after = last.domain
            }
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        splitter.finish(into: &accumulator)
        return accumulator.summary()
    }

    static func summarize(jsonLinesAt path: String) throws -> ReportSummary {
        let handle = path == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { if path != "-" { try? handle.close() } }
        var accumulator = ReportAccumulator()
        var splitter = JSONLineSplitter()
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            splitter.feed(chunk, into: &accumulator)
        }
        splitter.finish(into: &accumulator)
        return accumulator.summary()
    }
}
