import PeerTestSupport
import DNSCore
import DNSZoneFile
import Foundation
import Testing

/// Zones signed by the real signers — `ldns-signzone` (NSEC; NSEC3 with salt and iterations;
/// NSEC3 opt-out) and BIND's `dnssec-signzone` (NSEC; NSEC3 with salt) with RSA/SHA-256 (8),
/// ECDSA P-256 (13) and Ed25519 (15) keys — parse with no error, and what
/// `ZoneFilePrinter` prints from them is the same zone as the signer's file in
/// `ldns-read-zone -z` (canonicalised and sorted) form.
@Suite("Real signers' zones parse and print back")
struct SignedZoneParseTests {
    static let origin = "example.test."

    static let signers: [PeerZoneSigner] = [8, 13, 15].flatMap { (algorithm: Int) -> [PeerZoneSigner] in
        [
            PeerZoneSigner(tool: .ldns, algorithm: algorithm, denial: .nsec),
            PeerZoneSigner(tool: .ldns, algorithm: algorithm, denial: .nsec3(salt: "BEEF01", iterations: 5, optOut: false)),
            PeerZoneSigner(tool: .ldns, algorithm: algorithm, denial: .nsec3(salt: "", iterations: 0, optOut: true)),
            PeerZoneSigner(tool: .bind, algorithm: algorithm, denial: .nsec),
            PeerZoneSigner(tool: .bind, algorithm: algorithm, denial: .nsec3(salt: "C0FFEE", iterations: 0, optOut: false)),
        ]
    }

    static let toolsPresent = ExternalTool.available("ldns-keygen", "ldns-signzone", "ldns-key2ds", "ldns-read-zone",
                                                     "dnssec-keygen", "dnssec-signzone")

    @Test("signed zone parses with zero errors and prints the same zone",
          .enabled(if: toolsPresent, "needs ldnsutils and bind9-utils (.ci/run installs them)"),
          arguments: signers)
    func signedZoneRoundTrips(signer: PeerZoneSigner) throws {
        let work = try TemporaryDirectory(prefix: "signed-\(signer.tag)")
        defer { work.remove() }
        let signed = try signer.sign(zone: try InteropVectors.text("example.test.zone"), origin: Self.origin, in: work)

        let result = ZoneFileLoader.parse(file: signed.file.path, origin: try DomainName(parsing: Self.origin), allowInclude: false)
        let errorCount = result.errors.count
        #expect(errorCount == 0, "\(signer): first errors:\n\(result.errors.prefix(5).map(\.description).joined(separator: "\n"))")
        #expect(result.records.contains { $0.type == .rrsig }, "\(signer): no RRSIG parsed")
        #expect(result.records.contains { $0.type == .dnskey }, "\(signer): no DNSKEY parsed")
        let denialType: RRType = if case .nsec = signer.denial { .nsec } else { .nsec3 }
        #expect(result.records.contains { $0.type == denialType }, "\(signer): no \(denialType) parsed")

        let printed = try work.write(ZoneFilePrinter.print(result.records), to: "printed.zone")
        let expected = try LDNSReadZone.canonical(signed.file)
        let actual = try LDNSReadZone.canonical(printed)
        #expect(actual.count == expected.count, "\(signer): \(actual.count) records printed, the signer wrote \(expected.count)")
        if let difference = LDNSReadZone.firstDifference(expected: expected, actual: actual) {
            Issue.record("\(signer): printed zone differs from the signer's in ldns-read-zone -z form:\n\(difference)")
        }
    }
}

/// `ldns-read-zone -z`: every record canonicalised (RFC 4034 §6.2: names lowercased) and the
/// zone sorted in canonical order, one record per line — a neutral form to compare two files.
enum LDNSReadZone {
    static func canonical(_ file: URL) throws -> [String] {
        let result = try ExternalTool.require("ldns-read-zone").check(["-z", file.path])
        return result.stdoutText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// The first line that differs, with its neighbours, or nil when equal.
    static func firstDifference(expected: [String], actual: [String]) -> String? {
        guard expected != actual else { return nil }
        let index = (0..<min(expected.count, actual.count)).first { expected[$0] != actual[$0] } ?? min(expected.count, actual.count)
        let want = index < expected.count ? expected[index] : "(end of file)"
        let got = index < actual.count ? actual[index] : "(end of file)"
        return "line \(index + 1):\n  expected: \(want)\n  printed:  \(got)"
    }
}
