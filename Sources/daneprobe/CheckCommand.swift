import ArgumentParser
import DANE
import DNSCore
import Foundation
import MailProbe

/// `daneprobe check`: what a DANE-aware sender does for each domain, host by host, and why.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check mail domains as a DANE-aware sender would (RFC 7672).",
        discussion: """
        For each DOMAIN: the MX RRset, every host's addresses and TLSA base domain, the TLSA \
        RRset, and an SMTP session with STARTTLS to every address, each judged by RFC 7672 — \
        Verified, Trusted, Untrusted, plaintext, dane-failed, tls-required-failed, dns-failed, \
        unreachable or no-mail — with the reasons and what to fix. Exit status: 0 when a \
        DANE-aware sender would deliver every domain and nothing published is broken, 1 \
        otherwise (with --require-dane, anything short of Verified), 2 for usage errors.
        """
    )

    @Argument(help: "The mail domains.")
    var domains: [String] = []

    @OptionGroup var resolution: ResolverOptions

    @Option(help: ArgumentHelp("Secure TLSA under an insecure MX RRset: dane (apply it, Postfix ≥ 3.6), may (ignore it, Postfix < 3.6) or encrypt (TLS without authentication).", valueName: "POLICY"))
    var insecureMXPolicy: String = "dane"

    @Flag(help: "Print one JSON object per domain.")
    var json = false

    @Option(help: "Seconds to wait for each DNS answer, connection and SMTP reply.")
    var timeout: Double = 10

    @Option(help: "The SMTP port (also the TLSA owner _PORT._tcp.HOST).")
    var port: Int = 25

    @Option(help: ArgumentHelp("The name sent in EHLO.", valueName: "NAME"))
    var ehlo: String = "daneprobe.invalid"

    @Flag(help: "Exit 1 unless every domain is Verified.")
    var requireDane = false

    @Flag(help: "Stop at the first host that would take the mail, as a sender does (default: probe every address of every host).")
    var firstOnly = false

    @Option(help: "Domains checked at once.")
    var concurrency = 8

    func validate() throws {
        guard !domains.isEmpty else { throw ValidationError("give at least one DOMAIN") }
        guard InsecureMXPolicy(rawValue: insecureMXPolicy) != nil else { throw ValidationError("--insecure-mx-policy: expected dane, may or encrypt") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1-65535") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
        for domain in domains where (try? Self.name(domain)) == nil { throw ValidationError("\"\(domain)\" is not a domain name") }
    }

    static func name(_ text: String) throws -> DomainName {
        try DomainName(parsing: text.hasSuffix(".") ? text : text + ".")
    }

    func run() async throws {
        let probe: MailProbe
        do {
            var options = MailProbeOptions()
            options.insecureMXPolicy = InsecureMXPolicy(rawValue: insecureMXPolicy) ?? .dane
            options.port = port
            options.ehloName = ehlo
            options.timeout = .milliseconds(Int(timeout * 1000))
            options.firstOnly = firstOnly
            options.addressMap = try resolution.addressMapping()
            if resolution.at != nil { options.now = Date(timeIntervalSince1970: TimeInterval(resolution.moment)) }
            // Four UDP sockets for each domain checked at once (up to the default 32): each is
            // bound while the rest is set up, and binding 32 for one domain delays its first query.
            let sockets = min(32, 4 * min(concurrency, domains.count))
            probe = MailProbe(resolver: try resolution.makeResolver(timeout: min(timeout, 5), sockets: sockets), options: options)
        } catch {
            printError("daneprobe check: \(error)")
            throw ExitCode(2)
        }
        let names = try domains.map(Self.name)
        var failed = false
        var output = StandardOutput()
        await probe.checkAll(names, concurrency: concurrency) { _, report in
            output.write((json ? report.jsonLine() : report.text() + "\n") + "\n")
            output.flush()
            if !report.passes(requireDANE: requireDane) { failed = true }
        }
        // Everything is printed and flushed: leave now rather than wait for the event loop
        // threads and caches to be torn down (a few milliseconds of a ~20 ms check).
        Foundation.exit(failed ? ExitCode.failure.rawValue : ExitCode.success.rawValue)
    }
}
