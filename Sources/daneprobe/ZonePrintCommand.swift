import ArgumentParser
import DNSZoneFile

struct ZonePrintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print a zone file's records one per line, with full owner names.",
        discussion: """
        The output is itself a zone file that reads back to the same records (tab-separated \
        owner, TTL, class, type, RDATA; the layout of ldns-read-zone). Records stream: the \
        zone is never held in memory. Errors go to standard error, and the exit status is 1.
        """
    )

    @OptionGroup var zone: ZoneFileOptions

    func run() async throws {
        var output = StandardOutput()
        var line = ""
        let errors = ZoneFileLoader.stream(file: zone.file, origin: try zone.parsedOrigin(), allowInclude: zone.allowInclude) { record in
            line.removeAll(keepingCapacity: true)
            ZoneFilePrinter.append(record, to: &line)
            output.write(line)
        }
        output.flush()
        for error in errors { printError(error.description) }
        if !errors.isEmpty { throw ExitCode(1) }
    }
}
