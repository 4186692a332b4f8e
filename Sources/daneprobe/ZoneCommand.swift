import ArgumentParser

struct ZoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone",
        abstract: "Read, check, print, sign and verify DNS zone files (RFC 1035 master files).",
        subcommands: [ZoneCheckCommand.self, ZonePrintCommand.self, ZoneSignCommand.self, ZoneVerifyCommand.self]
    )
}

/// Options every `zone` subcommand shares.
struct ZoneFileOptions: ParsableArguments {
    @Argument(help: "The zone file (RFC 1035 §5 master file).")
    var file: String

    @Option(help: ArgumentHelp("Origin for relative names (as $ORIGIN). Default: the file's own $ORIGIN.", valueName: "NAME"))
    var origin: String?

    @Flag(help: "Follow $INCLUDE directives (off by default: a zone file should not read other files unasked).")
    var allowInclude = false

    func parsedOrigin() throws -> DomainName? {
        guard let origin else { return nil }
        do {
            return try DomainName(parsing: origin.hasSuffix(".") ? origin : origin + ".")
        } catch {
            throw ValidationError("--origin \"\(origin)\" is not a domain name: \(error)")
        }
    }
}

import DNSCore
