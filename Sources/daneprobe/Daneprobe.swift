import ArgumentParser

@main
struct Daneprobe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daneprobe",
        abstract: "DANE, DNSSEC and STARTTLS checks for email.",
        discussion: """
        daneprobe answers, for a mail domain: would a DANE-aware sender deliver here, over what \
        kind of TLS, and why? It has its own DNS stack (zone files, DNSSEC, resolver, server) \
        and SMTP client.

        Available now: `zone check|print|sign|verify`, `serve`, `resolve` and `tlsa`.
        """,
        version: DaneprobeVersion.current,
        subcommands: [ZoneCommand.self, ServeCommand.self, ResolveCommand.self, TLSACommand.self]
    )
}

enum DaneprobeVersion {
    static let current = "0.1.0"
}
