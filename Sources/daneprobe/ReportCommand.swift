import ArgumentParser
import Foundation
import Reports

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Sum up many domains' check results: tables, JSON, or an HTML page with charts.",
        discussion: """
        FILE holds JSON lines in the schema of `check --json` (and `scan --jsonl`), one domain \
        a line; `-` reads standard input. Prints the counts of issue 8 (domains with MX, signed \
        MX, TLSA, usable, matching, STARTTLS, verdicts, failure reasons, TLSA parameters, partial \
        DANE, rollover readiness) as a table, or as one JSON object with --json. --html OUT also \
        writes one self-contained HTML page (inline SVG charts, no script, nothing fetched).
        """
    )

    @Argument(help: "JSON lines of DomainReports, or - for standard input.")
    var file: String

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Also write the report as a self-contained HTML page to this file.", valueName: "OUT"))
    var html: String?

    func run() async throws {
        let summary: ReportSummary
        do {
            summary = try Self.summarize(jsonLinesAt: file)
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
