import ArgumentParser
import DANELab
import Foundation

/// `daneprobe lab`: the embedded lab, every scenario checked by the built-in DANE client.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run the embedded DANE lab: every scenario, expected vs observed.",
        discussion: """
        Mints the lab's keys and certificates at its reference time (2026-01-01T00:00:00Z), \
        signs a root → lab. → scenario zones hierarchy, starts its name servers and mail \
        servers on loopback (no privileges: published addresses are remapped to the bound \
        ports), checks every scenario's mail domain under --insecure-mx-policy dane and may, \
        and prints id | story | expected | observed (expected "dane / may" when they differ). \
        Exit status 1 when any scenario disagrees with the catalogue.
        """,
        subcommands: [LabRunCommand.self, LabServeCommand.self],
        defaultSubcommand: LabRunCommand.self
    )
}

struct LabRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the scenarios (the default).")

    @Flag(help: "Print one JSON object per scenario.")
    var json = false

    @Option(name: .customLong("only"), parsing: .upToNextOption, help: ArgumentHelp("Run only these scenarios.", valueName: "ID"))
    var only: [String] = []

    @Flag(help: "After the table, print the check report of every scenario (default: of those that disagree).")
    var verbose = false

    @Option(help: "Scenarios checked at once.")
    var concurrency = 8

    @Option(parsing: .upToNextOption, help: .hidden)
    var sabotage: [String] = []

    @Flag(help: "List the scenarios and exit.")
    var list = false

    func validate() throws {
        let known = Set(LabCatalogue.all.map(\.id))
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
        for id in only + sabotage where !known.contains(id) { throw ValidationError("no scenario \"\(id)\" (see --list)") }
    }

    /// The scenarios to run; `--sabotage ID` (hidden, for tests) breaks those on purpose.
    var scenarios: [LabScenario] {
        (only.isEmpty ? LabCatalogue.all : LabCatalogue.all.filter { only.contains($0.id) })
            .map { sabotage.contains($0.id) ? $0.sabotaged() : $0 }
    }

    func run() async throws {
        if list {
            print(LabCatalogue.all.map { "\($0.id)\t\($0.story)" }.joined(separator: "\n"))
            return
        }
        let outcomes: [LabOutcome]
        do {
            outcomes = try await LabRunner(scenarios: scenarios, concurrency: concurrency).run()
        } catch {
            printError("daneprobe lab: the lab could not be started: \(error)")
            throw ExitCode(2)
        }
        var output = StandardOutput()
        if json {
            for outcome in outcomes { output.write(outcome.jsonLine + "\n") }
        } else {
            output.write(LabTable.render(outcomes))
            for outcome in outcomes where verbose || !outcome.agree {
                output.write("\n" + LabTable.explain(outcome))
            }
        }
        output.flush()
        if outcomes.contains(where: { !$0.agree }) { throw ExitCode(1) }
    }
}
