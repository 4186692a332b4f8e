import Foundation
import Testing

/// `daneprobe lab serve`, as an outside MTA's harness would start it: the manifest, a name
/// server answering from it, and a clean stop on SIGTERM.
@Suite struct LabServeCommandTests {
    struct Manifest: Decodable {
        struct Server: Decodable { var published: String; var listening: String; var scenario: String? }
        struct Scenario: Decodable { var id: String; var domain: String; var expected: [String: String] }
        var schema: Int
        var trust_anchor: String
        var name_servers: [Server]
        var mail_servers: [Server]
        var scenarios: [Scenario]
    }

    @Test func servesTheLabAndWritesItsManifest() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lab-manifest-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let serve = try RunningServe(["--only", "go6lab-1", "control-311", "--manifest", path], command: ["lab", "serve"],
                                     ready: { $0.contains("\nready\n") })
        #expect(serve.output.contains("trust-anchor ."))
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(manifest.schema == 1)
        #expect(manifest.scenarios.map(\.id) == ["go6lab-1", "control-311"])
        #expect(manifest.scenarios.first?.expected == ["dane": "trusted", "may": "untrusted"])
        #expect(manifest.mail_servers.map(\.published) == ["127.0.1.1:25", "127.0.1.5:25"])
        #expect(manifest.trust_anchor.contains("\tDS\t"))
        // The scenario zones' server answers with the signed MX RRset.
        let zones = try #require(manifest.name_servers.first { $0.published == "127.0.0.12:53" })
        let port = try #require(zones.listening.split(separator: ":").last.map(String.init))
        let dig = Process()
        dig.executableURL = URL(fileURLWithPath: "/usr/bin/dig")
        dig.arguments = ["@127.0.0.1", "-p", port, "+norec", "+dnssec", "+time=2", "+tries=1", "MX", "control-311.lab."]
        let out = Pipe()
        dig.standardOutput = out
        try dig.run()
        let answer = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        dig.waitUntilExit()
        #expect(answer.contains("10 mx.control-311.lab."), "\(answer)")
        #expect(answer.contains("RRSIG\tMX 13"), "\(answer)")
        #expect(serve.terminate())
    }
}
