import Foundation
import Testing

/// `daneprobe tlsa --cert`, run as a user would, on the RFC 6698 App. C certificate (whose
/// `1 1` and `0 1` association data the RFC lists).
@Suite struct TLSACommandTests {
    let scratch = ScratchFolder()

    static var pem: String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DANETests/Vectors/rfc6698/rfc6698-appendix-C-cert.pem")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    @Test func printsTheRecordOfTheRFCExample() throws {
        let file = try scratch.file(Self.pem, name: "cert.pem")
        let result = try CLI.run(["tlsa", "--cert", file, "--name", "mx.example.net"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("_25._tcp.mx.example.net.\tIN\tTLSA\t3 1 1 8755CDAA8FE24EF16CC0F2C918063185E433FAAF1415664911D9E30A924138C4"))
        let full = try CLI.run(["tlsa", "--cert", file, "--selector", "0"])
        #expect(full.stdout.hasPrefix("3 0 1 EFDDF0D915C7BDC5782C0881E1B2A95AD099FBDD06D7B1F77982D9364338D955"))
    }

    @Test func chainFilesGiveATARecordPerCA() throws {
        let body = Self.pem.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        let file = try scratch.file(body + "\n" + body + "\n", name: "chain.pem")
        let lines = try CLI.run(["tlsa", "--cert", file]).stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("2 1 1 8755CDAA"))
    }

    @Test func badInputIsAUsageError() throws {
        let broken = try scratch.file("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", name: "bad.pem")
        #expect(try CLI.run(["tlsa", "--cert", broken]).status == 64)
        #expect(try CLI.run(["tlsa", "--cert", "/nonexistent.pem"]).status == 64)
        let empty = try scratch.file("nothing here\n", name: "empty.pem")
        #expect(try CLI.run(["tlsa", "--cert", empty]).status == 64)
    }
}
