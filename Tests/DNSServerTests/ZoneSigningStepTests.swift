import PeerTestSupport
import DNSCore
import DNSSEC
import DNSServer
import Foundation
import Testing

/// "Signed at load": the catalog runs a `ZoneSigningStep` on the sources that ask for it.
@Suite struct ZoneSigningStepTests {
    static func source(_ text: String, sign: Bool) throws -> (ZoneSource, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "signing-step")
        let file = try directory.write("$ORIGIN example.\n$TTL 300\n" + text, to: "zone")
        return (ZoneSource(path: file.path, origin: name("example."), sign: sign), directory)
    }

    @Test func theStepRunsOnlyWhereAsked() throws {
        let step = ClosureSigningStep { records, origin in
            records + [ResourceRecord(owner: origin, ttl: 300, rdata: try RData(type: .txt, text: "\"signed\""))]
        }
        for sign in [true, false] {
            let (source, directory) = try Self.source(PlainZone.text, sign: sign)
            defer { directory.remove() }
            let catalog = try ZoneCatalog.load([source], signing: step)
            #expect((catalog.zone(for: name("example."))?.rrset(name("example."), .txt) != nil) == sign)
        }
    }

    @Test func aFailingStepFailsTheLoad() throws {
        struct Refusal: Error {}
        let (source, directory) = try Self.source(PlainZone.text, sign: true)
        defer { directory.remove() }
        do {
            _ = try ZoneCatalog.load([source], signing: ClosureSigningStep { _, _ in throw Refusal() })
            Issue.record("loaded")
        } catch {
            #expect(error.code == .signing)
        }
    }

    /// With DNSSEC's signer as the step (NSEC3, RFC 9276 parameters), answers carry RRSIGs
    /// and NSEC3 proofs.
    @Test func signedWithTheZoneSigner() throws {
        let key = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256, flags: DNSSECSigningKey.keySigningFlags)
        let step = ClosureSigningStep { records, origin in
            let options = ZoneSigningOptions(denial: .nsec3(.init()), inception: 1_700_000_000, expiration: 1_900_000_000)
            return try ZoneSigner(apex: origin, keys: [key], options: options).sign(records).records
        }
        let (source, directory) = try Self.source(PlainZone.text, sign: true)
        defer { directory.remove() }
        let answerer = AuthoritativeAnswerer(catalog: try ZoneCatalog.load([source], signing: step))
        let positive = try answerer.ask("www.example.", .a, dnssec: true)
        #expect(positive.summary(\.answers) == ["www.example. A", "www.example. RRSIG A"])
        let negative = try answerer.ask("nope.example.", .a, dnssec: true)
        #expect(negative.header.rcode == .nxDomain)
        #expect(negative.authority.filter { $0.type == .nsec3 }.count >= 2)
        #expect(negative.authority.contains { $0.rdata.as(RRSIG.self)?.typeCovered == .nsec3 })
    }
}
