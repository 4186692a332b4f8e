import ArgumentParser
import DANELab
import DNSResolver
import Foundation
import Logging

/// `daneprobe lab serve`: the lab kept up for an outside MTA or resolver until SIGINT/SIGTERM.
struct LabServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Keep the lab's name servers and mail servers up for an outside MTA.",
        discussion: """
        Prints where every lab server listens and the lab's trust anchor, and with --manifest \
        writes them as JSON with every scenario's mail domain and expected verdicts. With \
        --published-addresses (Linux, root) the name servers listen on their glue addresses \
        127.0.0.10-13 port 53 and the mail servers on their 127.0.1.x port 25, so Unbound and \
        Postfix can be pointed at them unchanged; otherwise everything is on loopback port 0. \
        Two recursive resolver endpoints built on daneprobe's resolver answer RD queries from \
        the lab's root: a validating one (AD on secure, SERVFAIL with an Extended DNS Error on \
        bogus; 127.0.0.20:53 with --published-addresses) and a permissive one (bogus answers \
        without AD, like Unbound's val-permissive-mode; 127.0.0.21:53). Every message the mail \
        servers accept is appended to DIR/deliveries.jsonl (--deliveries DIR, default: the \
        manifest's folder); `daneprobe lab deliveries` lists them.
        """
    )

    @Option(help: ArgumentHelp("Write the lab's manifest (JSON) to FILE.", valueName: "FILE"))
    var manifest: String?

    @Option(help: ArgumentHelp("Record each delivery in DIR/deliveries.jsonl (default: beside --manifest).", valueName: "DIR"))
    var deliveries: String?

    @Flag(help: "Listen on the published addresses and real ports (53, 25) instead of loopback port 0.")
    var publishedAddresses = false

    @Option(name: .customLong("only"), parsing: .upToNextOption, help: ArgumentHelp("Serve only these scenarios.", valueName: "ID"))
    var only: [String] = []

    @Option(help: ArgumentHelp("Serve N synthetic mail domains (every kind of LabGenerator in turn: gen-1.lab., …) in place of the catalogue, for benchmarks; with --only, beside those scenarios.", valueName: "N"))
    var generate: Int = 0

    func validate() throws {
        let known = Set(LabCatalogue.all.map(\.id))
        for id in only where !known.contains(id) { throw ValidationError("no scenario \"\(id)\"") }
        guard (0...60_000).contains(generate) else { throw ValidationError("--generate: 0 to 60000 domains") }
    }

    func run() async throws {
        let generated = LabGenerator().generate(generate).map(\.scenario)
        let catalogue = only.isEmpty ? (generate > 0 ? [] : LabCatalogue.all) : LabCatalogue.all.filter { only.contains($0.id) }
        let scenarios = catalogue + generated
        let hierarchy: LabHierarchy
        do {
            // Outside resolvers and MTAs judge signatures and certificates by the system clock:
            // mint at the start of today (UTC), not at the lab's fixed reference time.
            let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
            hierarchy = try LabHierarchy(scenarios: scenarios, now: Date(timeIntervalSince1970: today))
        } catch {
            printError("daneprobe lab serve: \(error)")
            throw ExitCode(2)
        }
        let manifestPath = manifest
        let published = publishedAddresses
        let folder = deliveries.map { URL(fileURLWithPath: $0) }
            ?? manifest.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        let recorder: LabDeliveryRecorder?
        do {
            recorder = try folder.map { try LabDeliveryRecorder(folder: $0) }
        } catch {
            printError("daneprobe lab serve: the deliveries file: \(error)")
            throw ExitCode(2)
        }
        do {
            // The endpoints judge signatures by the system clock, like the outside resolvers
            // and MTAs this lab was minted for (at the start of today).
            try await LabNetwork.run(hierarchy, scenarios: scenarios, binding: published ? .publishedAddresses : .loopbackPort0,
                                     untilShutdownSignal: [.sigterm, .sigint], resolverClock: SystemResolverClock(),
                                     deliveries: recorder) { endpoints in
                let manifest = LabManifest(hierarchy: hierarchy, scenarios: scenarios, endpoints: endpoints,
                                           deliveries: recorder.map(\.file.path))
                if let manifestPath { try manifest.json().write(to: URL(fileURLWithPath: manifestPath)) }
                var out = StandardOutput()
                for server in manifest.nameServers { out.write("dns \(server.published) listening \(server.listening)\n") }
                for server in manifest.mailServers {
                    out.write("smtp \(server.published) listening \(server.listening) \(server.scenario ?? "") \(server.host ?? "")\n")
                }
                out.write(manifest.trustAnchor.split(separator: "\n").map { "trust-anchor \($0)\n" }.joined())
                out.write("resolver \(manifest.resolver) (validating: AD on secure, SERVFAIL on bogus)\n")
                out.write("permissive-resolver \(manifest.permissiveResolver) (val-permissive-mode: bogus without AD)\n")
                if let file = manifest.deliveries { out.write("deliveries \(file)\n") }
                out.write("""
                    minted at \(manifest.referenceTime): signatures valid for 30 days, leaves for a year.
                    unbound: root-hints with "\(manifest.rootHints.split(separator: "\n").joined(separator: "; "))", \
                    trust-anchor lines above, do-not-query-localhost: no (needs --published-addresses); \
                    or forward-zone "." with forward-addr: \(manifest.resolver.replacingOccurrences(of: ":", with: "@")).
                    postfix: a resolv.conf with "nameserver \(manifest.resolver.split(separator: ":").first ?? "")" and \
                    "options trust-ad" (port 53 only: needs --published-addresses), smtp_dns_support_level = dnssec, \
                    smtp_tls_security_level = dane; the permissive endpoint instead shows what val-permissive-mode does.
                    ready

                    """)
                out.flush()
            }
        } catch {
            printError("daneprobe lab serve: \(error)")
            throw ExitCode(2)
        }
    }
}
