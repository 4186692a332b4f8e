import ArgumentParser
import DANELab
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
        Postfix can be pointed at them unchanged; otherwise everything is on loopback port 0.
        """
    )

    @Option(help: ArgumentHelp("Write the lab's manifest (JSON) to FILE.", valueName: "FILE"))
    var manifest: String?

    @Flag(help: "Listen on the published addresses and real ports (53, 25) instead of loopback port 0.")
    var publishedAddresses = false

    @Option(name: .customLong("only"), parsing: .upToNextOption, help: ArgumentHelp("Serve only these scenarios.", valueName: "ID"))
    var only: [String] = []

    func validate() throws {
        let known = Set(LabCatalogue.all.map(\.id))
        for id in only where !known.contains(id) { throw ValidationError("no scenario \"\(id)\"") }
    }

    func run() async throws {
        let scenarios = only.isEmpty ? LabCatalogue.all : LabCatalogue.all.filter { only.contains($0.id) }
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
        do {
            try await LabNetwork.run(hierarchy, scenarios: scenarios, binding: published ? .publishedAddresses : .loopbackPort0,
                                     untilShutdownSignal: [.sigterm, .sigint]) { endpoints in
                let manifest = LabManifest(hierarchy: hierarchy, scenarios: scenarios, endpoints: endpoints)
                if let manifestPath { try manifest.json().write(to: URL(fileURLWithPath: manifestPath)) }
                var out = StandardOutput()
                for server in manifest.nameServers { out.write("dns \(server.published) listening \(server.listening)\n") }
                for server in manifest.mailServers {
                    out.write("smtp \(server.published) listening \(server.listening) \(server.scenario ?? "") \(server.host ?? "")\n")
                }
                out.write(manifest.trustAnchor.split(separator: "\n").map { "trust-anchor \($0)\n" }.joined())
                out.write("""
                    minted at \(manifest.referenceTime): signatures valid for 30 days, leaves for a year.
                    unbound: root-hints with "\(manifest.rootHints.split(separator: "\n").joined(separator: "; "))", \
                    trust-anchor lines above, do-not-query-localhost: no (needs --published-addresses).
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
