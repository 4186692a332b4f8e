import ArgumentParser
import MailProbe
import NIOPosix

@main
struct Daneprobe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daneprobe",
        abstract: "DANE, DNSSEC and STARTTLS checks for email.",
        discussion: """
        daneprobe answers, for a mail domain: would a DANE-aware sender deliver here, over what \
        kind of TLS, and why? It has its own DNS stack (zone files, DNSSEC, resolver, server) \
        and SMTP client.

        Commands: `lab` (the scenario lab; `lab serve`, `lab deliveries`), `check`, `scan`, `report`, `tlsa`, `resolve`, `serve`, `zone check|print|sign|verify`.
        """,
        version: DaneprobeVersion.current,
        subcommands: [CheckCommand.self, ScanCommand.self, ReportCommand.self, LabCommand.self, ZoneCommand.self, ServeCommand.self, ResolveCommand.self, TLSACommand.self]
    )

    /// ArgumentParser's own entry point, except that `check` reports usage errors with exit
    /// status 2 (its documented contract: 0 delivers, 1 does not, 2 usage), where the other
    /// commands keep ArgumentParser's 64.
    ///
    /// The commands run on SwiftNIO's shared event loops: their threads are started on a
    /// thread of the concurrency pool while this one parses the arguments (a few milliseconds
    /// of a ~15 ms `check`, ArgumentParser's reflection), instead of after it. Before them that
    /// thread makes the zero-filled data pages (`MailProbe.prepareMemory()`, ~1.7 ms off a
    /// `check`), after them it pays the runtime's first-use costs a check meets later
    /// (`MailProbe.prepareRuntime()`, ~1 ms). A command that uses neither (`zone`) leaves the
    /// loops idle and has spent a little of the other core.
    static func main() async {
        Task.detached {
            MailProbe.prepareMemory()
            _ = MultiThreadedEventLoopGroup.singleton
            MailProbe.prepareRuntime()
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if CommandLine.arguments.dropFirst().first == "check", exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

enum DaneprobeVersion {
    static let current = "0.1.0"
}
