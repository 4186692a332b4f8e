import Foundation
import PeerTestSupport
import Testing

/// `daneprobe check` as a user runs it: a root and `test.` signed by `zone sign`, an unsigned
/// `insecure.test.` delegated without DS, all served by `daneprobe serve` on port 0; the mail
/// hosts' published addresses (127.0.0.60/.61:25) sent by `--address-map` to Debian's aiosmtpd
/// with STARTTLS on port 0, serving the shared test chain (leaf `mx.example.test`).
@Suite(.serialized, .enabled(if: AiosmtpdServer.available, "python3-aiosmtpd is not installed (.ci/run installs it)"))
struct CheckCommandTests {
    static let root = "$ORIGIN .\n$TTL 60\n. SOA ns.root. hm.root. 1 2 3 4 5\n. NS ns.root.\nns.root. A 127.0.0.1\ntest. NS ns.test.\nns.test. A 127.0.0.1\n"

    static func test(leafRecord: String) -> String {
        """
        $ORIGIN test.
        $TTL 60
        @ SOA ns hm 1 2 3 4 5
        @ NS ns
        ns A 127.0.0.1
        good MX 10 mx.example
        mx.example A 127.0.0.60
        _25._tcp.mx.example TLSA \(leafRecord)
        bad MX 10 mx-bad
        mx-bad A 127.0.0.60
        _25._tcp.mx-bad TLSA 3 1 1 0000000000000000000000000000000000000000000000000000000000000000
        two MX 10 mx.example
        two MX 20 mx-bad
        plain MX 10 mx-plain
        mx-plain A 127.0.0.61
        insecure NS ns.insecure
        ns.insecure A 127.0.0.1

        """
    }

    static let insecure = "$ORIGIN insecure.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 127.0.0.1\n@ MX 10 mx.example.test.\n"

    struct Lab {
        var arguments: [String]
        var server: AiosmtpdServer
    }

    /// Signs and serves the zones, starts aiosmtpd, and runs `body` with the resolver and
    /// address-map arguments every `check` needs.
    func withLab(_ body: (Lab) throws -> Void) throws {
        let folder = try TemporaryDirectory(prefix: "daneprobe-check")
        let server = try AiosmtpdServer(folder: folder)
        defer { server.stop() }
        let dir = folder.url.path
        let (chain, _) = try TestPEM.writeFiles(to: folder.url)
        let tlsa = try CLI.run(["tlsa", "--cert", chain])
        try #require(tlsa.status == 0, "\(tlsa.stderr)")
        let leafRecord = try #require(tlsa.stdout.split(separator: "\n").first?.split(separator: "\t").first.map(String.init))
        let testPath = dir + "/test.zone"
        try Self.test(leafRecord: leafRecord).write(toFile: testPath, atomically: true, encoding: .utf8)
        try Self.insecure.write(toFile: dir + "/insecure.zone", atomically: true, encoding: .utf8)
        let signedTest = try CLI.run(["zone", "sign", testPath, "--origin", "test.", "--single-key", "--keys", dir, "-o", testPath + ".signed"])
        try #require(signedTest.status == 0, "\(signedTest.stderr)")
        let rootPath = dir + "/root.zone"
        try (Self.root + (try String(contentsOfFile: dir + "/dsset-test.", encoding: .utf8))).write(toFile: rootPath, atomically: true, encoding: .utf8)
        let signedRoot = try CLI.run(["zone", "sign", rootPath, "--origin", ".", "--single-key", "--keys", dir, "-o", rootPath + ".signed"])
        try #require(signedRoot.status == 0, "\(signedRoot.stderr)")
        let serve = try RunningServe(["--zone", "\(rootPath).signed:.", "--zone", "\(testPath).signed:test.",
                                      "--zone", "\(dir)/insecure.zone:insecure.test.", "--listen", "127.0.0.1:0"])
        defer { _ = serve.terminate() }
        let port = try #require(serve.udpPort)
        try body(Lab(arguments: ["--resolver", "127.0.0.1:\(port)", "--trust-anchor", dir + "/dsset-.", "--timeout", "5",
                                 "--address-map", "127.0.0.60:25=127.0.0.1:\(server.port)",
                                 "--address-map", "127.0.0.61:25=127.0.0.1:\(server.port)"],
                     server: server))
    }

    static func json(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }

    @Test func verifiedDomainAsJSONWithEveryField() throws {
        try withLab { lab in
            let result = try CLI.run(["check", "good.test", "--json"] + lab.arguments)
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            let report = try #require(try Self.json(result.stdout).first)
            #expect(report["verdict"] as? String == "verified")
            #expect(report["domain"] as? String == "good.test.")
            let mx = try #require(report["mx"] as? [String: Any])
            #expect(mx["status"] as? String == "secure")
            #expect((mx["hosts"] as? [[String: Any]])?.first?["name"] as? String == "mx.example.test.")
            let host = try #require((report["hosts"] as? [[String: Any]])?.first)
            #expect(host["tlsaBase"] as? String == "mx.example.test.")
            let addresses = try #require(host["addresses"] as? [[String: Any]])
            #expect(addresses.first?["addresses"] as? [String] == ["127.0.0.60"])
            #expect(addresses.first?["status"] as? String == "secure")
            let tlsa = try #require(host["tlsa"] as? [String: Any])
            #expect(tlsa["status"] as? String == "secure")
            #expect((tlsa["records"] as? [String])?.count == 1)
            #expect((tlsa["usable"] as? [String])?.count == 1)
            let connection = try #require((host["connections"] as? [[String: Any]])?.first)
            #expect(connection["address"] as? String == "127.0.0.60:25")
            #expect(connection["starttls"] as? String == "established")
            #expect(connection["verdict"] as? String == "verified")
            let tls = try #require(connection["tls"] as? [String: Any])
            #expect((tls["version"] as? String)?.hasPrefix("TLSv1.") == true)
            #expect(tls["sni"] as? String == "mx.example.test")
            #expect(!(tls["cipher"] as? String ?? "").isEmpty)
            let chain = try #require(connection["chain"] as? [[String: Any]])
            #expect(chain.count == 2)
            #expect((chain.first?["subject"] as? String)?.contains("mx.example.test") == true)
            #expect((chain.first?["issuer"] as? String)?.contains("daneprobe test CA") == true)
            #expect(chain.first?["notBefore"] as? String == "2020-01-01T00:00:00Z")
            #expect((chain.first?["spkiSHA256"] as? String)?.count == 64)
            let match = try #require(connection["match"] as? [String: Any])
            #expect(match["depth"] as? Int == 0)
            #expect((match["record"] as? String)?.hasPrefix("3 1 1 ") == true)
            let reasons = try #require(connection["reasons"] as? [[String: Any]])
            #expect(reasons.contains { $0["rule"] as? String == "RFC 7672 §3.1.1" && $0["step"] as? String == "match" })
        }
    }

    @Test func textTellsTheStoryWithThePostfixLine() throws {
        try withLab { lab in
            let result = try CLI.run(["check", "good.test", "plain.test"] + lab.arguments)
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("good.test.: verified via mx.example.test."), "\(result.stdout)")
            #expect(result.stdout.contains("Verified TLS connection established to mx.example.test[127.0.0.60]:25: TLSv1."))
            #expect(result.stdout.contains("plain.test.: untrusted"))
            #expect(result.stdout.contains("Untrusted TLS connection established to mx-plain.test[127.0.0.61]:25"))
            #expect(result.stdout.contains("TLSA _25._tcp.mx-plain.test. [secure]: no records"))
        }
    }

    @Test func mismatchedTLSAIsNotDeliveredAndTheFixIsNamed() throws {
        try withLab { lab in
            let result = try CLI.run(["check", "bad.test", "--json"] + lab.arguments)
            #expect(result.status == 1)
            let report = try #require(try Self.json(result.stdout).first)
            #expect(report["verdict"] as? String == "dane-failed")
            #expect(report["broken"] as? Bool == true)
            let advice = try #require(report["advice"] as? [String])
            let spki = try #require(((report["hosts"] as? [[String: Any]])?.first?["connections"] as? [[String: Any]])?.first?["chain"] as? [[String: Any]])
                .first?["spkiSHA256"] as? String
            #expect(advice.contains { $0.contains("3 1 1 \((spki ?? "?").uppercased())") }, "\(advice)")
        }
    }

    /// RFC 7672 §2.2.1 under an insecure MX RRset: `dane` (Postfix ≥ 3.6) still authenticates
    /// and says Trusted; `may` ignores the TLSA; `--require-dane` wants Verified.
    @Test func insecureMXPolicies() throws {
        try withLab { lab in
            let dane = try CLI.run(["check", "insecure.test", "--json"] + lab.arguments)
            #expect(dane.status == 0, "\(dane.stdout)")
            #expect(try Self.json(dane.stdout).first?["verdict"] as? String == "trusted")
            let may = try CLI.run(["check", "insecure.test", "--json", "--insecure-mx-policy", "may"] + lab.arguments)
            #expect(try Self.json(may.stdout).first?["verdict"] as? String == "untrusted")
            #expect(try CLI.run(["check", "insecure.test", "--require-dane"] + lab.arguments).status == 1)
            #expect(try CLI.run(["check", "good.test", "--require-dane"] + lab.arguments).status == 0)
        }
    }

    /// A secondary that fails DANE: the mail still goes through the primary, but something
    /// published is broken (exit 1) — unless the sender-like `--first-only` never looks at it.
    @Test func brokenSecondaryAndFirstOnly() throws {
        try withLab { lab in
            let all = try CLI.run(["check", "two.test", "--json"] + lab.arguments)
            #expect(all.status == 1)
            let report = try #require(try Self.json(all.stdout).first)
            #expect(report["verdict"] as? String == "verified")
            #expect(report["broken"] as? Bool == true)
            #expect((report["hosts"] as? [[String: Any]])?.map { $0["verdict"] as? String } == ["verified", "dane-failed"])
            let first = try CLI.run(["check", "two.test", "--json", "--first-only"] + lab.arguments)
            #expect(first.status == 0, "\(first.stdout)")
            let hosts = try #require(try Self.json(first.stdout).first?["hosts"] as? [[String: Any]])
            #expect(hosts.map { $0["skipped"] as? Bool } == [false, true])
        }
    }

    @Test func nonexistentDomainTakesNoMail() throws {
        try withLab { lab in
            let result = try CLI.run(["check", "nowhere.test", "--json"] + lab.arguments)
            #expect(result.status == 1)
            #expect(try Self.json(result.stdout).first?["verdict"] as? String == "no-mail")
        }
    }

    @Test func tlsaConnectPrintsTheLiveChainsRecords() throws {
        try withLab { lab in
            let result = try CLI.run(["tlsa", "--connect", "mx.example.test"] + lab.arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(";") }
            #expect(lines.count == 2, "\(result.stdout)")
            #expect(lines.first?.hasPrefix("_25._tcp.mx.example.test.\tIN\tTLSA\t3 1 1 ") == true)
            #expect(lines.last?.contains("\tTLSA\t2 1 1 ") == true)
            #expect(result.stdout.contains("ECDSA certificate (the default handshake)"))
        }
    }

    /// `tlsa --check`: the matching record, the "current + next" warning (RFC 7671 §8.1) for a
    /// lone `3 1 1`; a record matching nothing is an error (exit 1).
    @Test func tlsaCheckSaysWhichRecordMatchesWhat() throws {
        try withLab { lab in
            let good = try CLI.run(["tlsa", "--check", "mx.example.test"] + lab.arguments)
            #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
            #expect(good.stdout.contains("TLSA: secure, 1 record"))
            #expect(good.stdout.contains("; matches certificate 1 at depth 0"))
            #expect(good.stdout.contains("warning:") && good.stdout.contains("RFC 7671 §8.1"))
            #expect(good.stdout.contains("RSA only: handshake failed"), "the ECDSA-only server cannot do RSA: \(good.stdout)")
            let bad = try CLI.run(["tlsa", "--check", "mx-bad.test"] + lab.arguments)
            #expect(bad.status == 1)
            #expect(bad.stdout.contains("; matches nothing the server sent"))
            #expect(bad.stdout.contains("error: no usable record matches the ECDSA certificate"))
        }
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["check"]).status == 2)
        #expect(try CLI.run(["check", "example.org", "--insecure-mx-policy", "sometimes"]).status == 2)
        #expect(try CLI.run(["check", "example.org", "--no-such-option"]).status == 2)
        #expect(try CLI.run(["check", "example.org", "--address-map", "nonsense"]).status == 2)
        #expect(try CLI.run(["check", "example.org", "--trust-anchor", "/nonexistent/anchors"]).status == 2)
    }
}
