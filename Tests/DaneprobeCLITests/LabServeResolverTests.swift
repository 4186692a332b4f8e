import Foundation
import NIOCore
import PeerTestSupport
import SMTPCore
import SMTPTransport
import Testing

/// `lab serve`'s resolver endpoints and delivery log, from outside: `daneprobe check
/// --resolver` through the permissive endpoint (a locally validating sender is not fooled
/// by val-permissive-mode, and the MITM still gets go6lab-3's mail), and `lab deliveries`
/// listing a message our SMTPProbe delivered to that MITM.
@Suite(.serialized) struct LabServeResolverTests {
    struct Manifest: Decodable {
        struct Server: Decodable { var published: String; var listening: String; var scenario: String? }
        var trust_anchor: String
        var resolver: String
        var permissive_resolver: String
        var deliveries: String?
        var mail_servers: [Server]
    }

    func withServe(_ body: (Manifest, URL) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "lab-serve-resolver")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("manifest.json").path
        let serve = try RunningServe(["--only", "go6lab-3", "control-311", "--manifest", path], command: ["lab", "serve"],
                                     ready: { $0.contains("\nready\n") })
        defer { _ = serve.terminate() }
        #expect(serve.output.contains("permissive-resolver 127.0.0.1:"), "\(serve.output)")
        #expect(serve.output.contains("options trust-ad"), "\(serve.output)")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        try await body(manifest, folder.url)
    }

    @Test func checkThroughThePermissiveEndpointStillSeesTheInsecureMITM() async throws {
        try await withServe { manifest, folder in
            let anchor = folder.appendingPathComponent("anchor.ds").path
            try manifest.trust_anchor.write(toFile: anchor, atomically: true, encoding: .utf8)
            let maps = manifest.mail_servers.filter { $0.scenario == "go6lab-3" || $0.scenario == "control-311" }
                .flatMap { ["--address-map", "\($0.published)=\($0.listening)"] }
            for (endpoint, domain, verdict) in [(manifest.permissive_resolver, "go6lab-3.lab.", "untrusted"),
                                                (manifest.resolver, "go6lab-3.lab.", "untrusted"),
                                                (manifest.permissive_resolver, "control-311.lab.", "verified")] {
                let check = try CLI.run(["check", domain, "--resolver", endpoint, "--trust-anchor", anchor, "--json", "--timeout", "5"] + maps)
                #expect(check.stdout.contains("\"verdict\":\"\(verdict)\""), "\(endpoint) \(domain): \(check.stdout) \(check.stderr)")
            }
        }
    }

    @Test func deliveriesListsAMessageSentToTheMITM() async throws {
        try await withServe { manifest, folder in
            let file = try #require(manifest.deliveries)
            #expect(file == folder.appendingPathComponent("deliveries.jsonl").path)
            let mitm = try #require(manifest.mail_servers.first { $0.scenario == "go6lab-3" })
            let parts = mitm.listening.split(separator: ":")
            let address = try SocketAddress(ipAddress: String(parts[0]), port: try #require(Int(parts[1])))
            let delivery = SMTPClientStateMachine.Delivery(reversePath: "sender@daneprobe.test", recipients: ["postmaster@go6lab-3.lab"],
                                                           message: Array("Subject: go6lab-3\r\n\r\nhello\r\n".utf8))
            let configuration = SMTPProbe.Configuration(
                session: .init(clientName: "client.daneprobe.test", tls: .required, delivery: delivery, timeouts: .init(all: .seconds(10))),
                sniHostname: "mx.go6lab-3-mx.lab", connectTimeout: .seconds(5))
            let result = try await SMTPProbe.run(to: address, configuration: configuration)
            #expect(result.outcome.delivered, "\(result)")

            let listed = try CLI.run(["lab", "deliveries", "--manifest", folder.appendingPathComponent("manifest.json").path])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains("go6lab-3 mx.go6lab-3-mx.lab. (MITM): from <sender@daneprobe.test> to <postmaster@go6lab-3.lab>"),
                    "\(listed.stdout)")
            #expect(listed.stdout.contains("SNI mx.go6lab-3-mx.lab"), "\(listed.stdout)")
            #expect(listed.stdout.contains("your MTA sent go6lab-3's mail to the MITM"), "\(listed.stdout)")
            #expect(listed.stdout.contains("1 deliveries, 1 to a MITM, 0 where the catalogue expects none"), "\(listed.stdout)")
            let json = try CLI.run(["lab", "deliveries", "--deliveries", folder.path, "--json"])
            #expect(json.stdout.contains("\"mitm\":true"), "\(json.stdout)")
            #expect(json.stdout.contains("\"version\":\"TLSv1.3\""), "\(json.stdout)")
        }
    }
}
