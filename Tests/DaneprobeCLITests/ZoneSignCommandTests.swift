import Foundation
import Testing

/// `daneprobe zone sign` and `zone verify`, run as a user would.
@Suite struct ZoneSignCommandTests {
    let scratch = ScratchFolder()

    static let zone = """
    $ORIGIN example.
    $TTL 3600
    @ SOA ns hostmaster 1 7200 3600 1209600 300
    @ NS ns
    ns A 192.0.2.1
    www A 192.0.2.2
    sub NS ns.sub
    ns.sub A 192.0.2.3

    """

    /// A zone file in a fresh folder with a `keys` subfolder; returns (zone path, keys path).
    func setUp() throws -> (zone: String, keys: String) {
        let zone = try scratch.file(Self.zone, name: "example.zone")
        let keys = (zone as NSString).deletingLastPathComponent + "/keys"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        return (zone, keys)
    }

    func keyFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test func signThenVerify() throws {
        let (zone, keys) = try setUp()
        let sign = try CLI.run(["zone", "sign", zone, "--keys", keys])
        #expect(sign.status == 0, "\(sign.stderr)")
        #expect(sign.stderr.contains("\tIN\tDS\t"))
        #expect(try keyFiles(keys).count == 4)
        let dsset = try String(contentsOfFile: (zone as NSString).deletingLastPathComponent + "/dsset-example.", encoding: .utf8)
        #expect(dsset.hasPrefix("example.\t3600\tIN\tDS\t"))
        #expect(dsset.contains(" 13 2 "))
        #expect(sign.stderr.contains(dsset))
        let verify = try CLI.run(["zone", "verify", zone + ".signed"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("NSEC chain"))

        // Signing again reuses the keys.
        let again = try CLI.run(["zone", "sign", zone, "--keys", keys, "--nsec3", "--salt", "ab12", "--opt-out", "-o", zone + ".n3"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try keyFiles(keys).count == 4)
        let verify3 = try CLI.run(["zone", "verify", zone + ".n3"])
        #expect(verify3.status == 0, "\(verify3.stderr)")
        #expect(verify3.stdout.contains("NSEC3 chain"))
    }

    /// `--trust-anchor`: the signer's dsset anchors the zone; a DS for another key does not.
    @Test func verifyAgainstATrustAnchor() throws {
        let (zone, keys) = try setUp()
        #expect(try CLI.run(["zone", "sign", zone, "--keys", keys]).status == 0)
        let dsset = (zone as NSString).deletingLastPathComponent + "/dsset-example."
        let anchored = try CLI.run(["zone", "verify", zone + ".signed", "--trust-anchor", dsset])
        #expect(anchored.status == 0, "\(anchored.stderr)")

        let wrong = try scratch.file("example. 3600 IN DS 1 13 2 \(String(repeating: "AB", count: 32))\n", name: "wrong.ds")
        let refused = try CLI.run(["zone", "verify", zone + ".signed", "--trust-anchor", wrong])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("bogus"))

        let elsewhere = try scratch.file("other. 3600 IN DS 1 13 2 \(String(repeating: "AB", count: 32))\n", name: "other.ds")
        #expect(try CLI.run(["zone", "verify", zone + ".signed", "--trust-anchor", elsewhere]).status == 64)
    }

    @Test(arguments: ["8", "10", "13", "14", "15"])
    func singleKeyEveryAlgorithm(_ algorithm: String) throws {
        let (zone, keys) = try setUp()
        let sign = try CLI.run(["zone", "sign", zone, "--keys", keys, "--algorithm", algorithm, "--single-key", "--nsec3", "-o", "-",
                                "--inception", "20240101000000", "--expiration", "1706745600"])
        #expect(sign.status == 0, "\(sign.stderr)")
        #expect(try keyFiles(keys).count == 2)
        #expect(sign.stdout.contains("\tRRSIG\tSOA \(algorithm) 1 3600 20240201000000 20240101000000 "))
        let out = try scratch.file(sign.stdout, name: "signed.zone")
        #expect(try CLI.run(["zone", "verify", out, "--at", "20240115000000"]).status == 0)
        let expired = try CLI.run(["zone", "verify", out, "--at", "20240301000000"])
        #expect(expired.status == 1)
        #expect(expired.stderr.contains("expired"))
        #expect(expired.stderr.contains("RFC 4035 §5.3.1"))
    }

    @Test func verifyReportsTamperingAndBrokenChains() throws {
        let (zone, keys) = try setUp()
        #expect(try CLI.run(["zone", "sign", zone, "--keys", keys, "--nsec3"]).status == 0)
        var text = try String(contentsOfFile: zone + ".signed", encoding: .utf8)
        // Change the address www has: its RRSIG no longer verifies.
        text = text.replacingOccurrences(of: "192.0.2.2", with: "192.0.2.9")
        // And drop one NSEC3 record: the chain is broken.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.contains("\tNSEC3\t") })
        lines.remove(at: index)
        let tampered = try scratch.file(lines.joined(separator: "\n"), name: "tampered.zone")
        let verify = try CLI.run(["zone", "verify", tampered])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("www.example. A RRSIG"))
        #expect(verify.stderr.contains("does not verify"))
        #expect(verify.stderr.contains("RFC 5155 §7.1"))
    }

    @Test func unsignedZoneFailsVerification() throws {
        let (zone, _) = try setUp()
        let verify = try CLI.run(["zone", "verify", zone])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("no RRSIG"))
    }

    @Test func badArguments() throws {
        let (zone, keys) = try setUp()
        for arguments in [["--salt", "ab"], ["--opt-out"], ["--nsec3", "--salt", "xyz"], ["--algorithm", "7"], ["--inception", "yesterday"]] {
            let result = try CLI.run(["zone", "sign", zone, "--keys", keys] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(!result.stderr.isEmpty)
        }
        #expect(try keyFiles(keys).isEmpty)
    }

    @Test func brokenKeyFileIsReportedWithItsLine() throws {
        let (zone, keys) = try setUp()
        try "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: !!!\n"
            .write(toFile: keys + "/Kexample.+013+00001.private", atomically: true, encoding: .utf8)
        try "example. IN DNSKEY 257 3 13 AAAA\n".write(toFile: keys + "/Kexample.+013+00001.key", atomically: true, encoding: .utf8)
        let result = try CLI.run(["zone", "sign", zone, "--keys", keys])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Kexample.+013+00001.private:3: PrivateKey is not base64"))
    }
}
