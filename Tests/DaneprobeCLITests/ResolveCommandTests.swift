import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `daneprobe resolve` as a user runs it: two zones signed by `zone sign` (the child's DS in
/// the root), served by `daneprobe serve` on port 0, resolved in stub mode through it with the
/// root's DS as trust anchor.
@Suite(.serialized) struct ResolveCommandTests {
    static let root = "$ORIGIN .\n$TTL 60\n. SOA ns.root. hm.root. 1 2 3 4 5\n. NS ns.root.\nns.root. A 127.0.0.1\ntest. NS ns.test.\nns.test. A 127.0.0.1\n"
    static let test = "$ORIGIN test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 127.0.0.1\nwww A 192.0.2.1\n"

    func withServedLab(_ body: (_ port: UInt16, _ dir: String) throws -> Void) throws {
        try CLI.withTemporaryFile(Self.test, name: "test.zone") { testPath in
            let dir = (testPath as NSString).deletingLastPathComponent
            let signedTest = try CLI.run(["zone", "sign", testPath, "--origin", "test.", "--single-key", "--keys", dir, "-o", testPath + ".signed"])
            try #require(signedTest.status == 0, "\(signedTest.stderr)")
            let ds = try String(contentsOfFile: dir + "/dsset-test.", encoding: .utf8)
            let rootPath = dir + "/root.zone"
            try (Self.root + ds).write(toFile: rootPath, atomically: true, encoding: .utf8)
            let signedRoot = try CLI.run(["zone", "sign", rootPath, "--origin", ".", "--single-key", "--keys", dir, "-o", rootPath + ".signed"])
            try #require(signedRoot.status == 0, "\(signedRoot.stderr)")

            let serve = try RunningServe(["--zone", "\(rootPath).signed:.", "--zone", "\(testPath).signed:test.", "--listen", "127.0.0.1:0"])
            let port = try #require(serve.udpPort)
            try body(port, dir)
            _ = serve.terminate()
        }
    }

    @Test func secureAnswerAsJSON() throws {
        try withServedLab { port, dir in
            let result = try CLI.run(["resolve", "www.test.", "A", "--resolver", "127.0.0.1:\(port)", "--trust-anchor", dir + "/dsset-.", "--json"])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["status"] as? String == "secure")
            #expect(object["rcode"] as? String == "NOERROR")
            #expect((object["answer"] as? [String])?.first?.contains("192.0.2.1") == true)
        }
    }

    @Test func chainOfTrustInWordsAndBatch() throws {
        try withServedLab { port, dir in
            let text = try CLI.run(["resolve", "nope.test.", "A", "--resolver", "127.0.0.1:\(port)", "--trust-anchor", dir + "/dsset-."])
            #expect(text.status == 0)
            #expect(text.stdout.contains("nope.test. A: secure"), "\(text.stdout)")
            #expect(text.stdout.contains("does not exist (NXDOMAIN)"))
            #expect(text.stdout.contains("chain of trust"))

            let batch = dir + "/batch.txt"
            try "www.test. A\nnope.test. A\nwww.test. AAAA\n".write(toFile: batch, atomically: true, encoding: .utf8)
            let lines = try CLI.run(["resolve", "--batch", batch, "--concurrency", "2", "--resolver", "127.0.0.1:\(port)", "--trust-anchor", dir + "/dsset-."])
            #expect(lines.status == 0)
            let statuses = lines.stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["status"] as? String
            }
            #expect(statuses == ["secure", "secure", "secure"])
        }
    }

    /// Iterative from root hints naming 127.0.0.1 (port 53 implied, as glue has no port),
    /// with the server really on port 0: `--address-map` sends the queries there.
    @Test func iterativeLabOnAnotherPortThroughAddressMap() throws {
        try withServedLab { port, dir in
            let hints = dir + "/hints.zone"
            try ". NS ns.root.\nns.root. A 127.0.0.1\n".write(toFile: hints, atomically: true, encoding: .utf8)
            let base = ["resolve", "www.test.", "A", "--root-hints", hints, "--trust-anchor", dir + "/dsset-.", "--json", "--timeout", "0.5"]
            let mapped = try CLI.run(base + ["--address-map", "127.0.0.1:53=127.0.0.1:\(port)"])
            #expect(mapped.status == 0, "\(mapped.stdout) \(mapped.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(mapped.stdout.utf8)) as? [String: Any])
            #expect(object["status"] as? String == "secure")
            #expect((object["answer"] as? [String])?.first?.contains("192.0.2.1") == true)
            // The same with the catch-all form.
            let fallback = try CLI.run(base + ["--address-map", "*=127.0.0.1:\(port)"])
            #expect(fallback.stdout.contains("\"status\":\"secure\""), "\(fallback.stdout)")
        }
    }

    @Test func badAddressMapIsRefused() throws {
        for bad in ["127.0.0.1", "127.0.0.1=", "x=127.0.0.1", "127.0.0.1:53=[::1"] {
            #expect(try CLI.run(["resolve", "example.org", "A", "--address-map", bad]).status == 64, "\(bad)")
        }
    }

    @Test func badArgumentsAreRefused() throws {
        #expect(try CLI.run(["resolve"]).status == 64)
        #expect(try CLI.run(["resolve", "example.org", "NOTATYPE"]).status == 64)
        #expect(try CLI.run(["resolve", "example.org", "A", "--root-hints", "/x", "--resolver", "127.0.0.1"]).status == 64)
    }
}
