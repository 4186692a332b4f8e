import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation
import PeerTestSupport
import Testing

/// A hierarchy signed by ldns-signzone (ECDSA P-256, KSK + ZSK, NSEC or NSEC3) and served by
/// NSD, every zone on the one NSD (parent and child answered by the same server): our
/// judgement, iterative and stub (through Unbound), must be the one the case calls for and
/// Unbound's, started with the same root DS. Signed around the real time: NSD's zones are
/// fresh, so the resolvers run on the system clock.
@Suite(.serialized, .enabled(if: ExternalTool.available("nsd", "unbound", "ldns-keygen", "ldns-signzone", "ldns-key2ds"), "nsd, unbound and ldnsutils are needed"))
struct NSDPeerResolutionTests {
    struct Hierarchy {
        var directory: TemporaryDirectory
        var zones: [(origin: String, file: URL)]
        var rootDS: String
    }

    static let children: [(label: String, body: String)] = [
        ("secure", "www A 192.0.2.1\nmail MX 10 www\n"),
        ("nsec3", "www A 192.0.2.2\n"),
        ("expired", "www A 192.0.2.3\n"),
        ("badds", "www A 192.0.2.4\n"),
        ("unsigned", "www A 192.0.2.5\n"),
    ]

    static func apex(_ origin: String) -> String {
        "$ORIGIN \(origin)\n$TTL 3600\n@ SOA ns.\(origin == "." ? "root." : origin) hostmaster.\(origin == "." ? "root." : origin) 1 3600 600 86400 300\n"
    }

    /// Bottom-up: each child signed, its DS into `test.` (for badds, the DS of a key the zone
    /// does not have; none for unsigned), then `test.` and the root.
    static func build() throws -> Hierarchy {
        let directory = try TemporaryDirectory(prefix: "nsd-resolver")
        var zones: [(origin: String, file: URL)] = []
        var testText = apex("test.") + "@ NS ns\nns A 127.0.0.1\n"
        for (label, body) in children {
            let origin = "\(label).test."
            let text = apex(origin) + "@ NS ns\nns A 127.0.0.1\n" + body
            testText += "\(label) NS ns.\(label)\nns.\(label) A 127.0.0.1\n"
            let folder = try TemporaryDirectory(prefix: "zone-\(label)")
            defer { folder.remove() }
            let signer = switch label {
            case "nsec3": PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec3(salt: "ABCD", iterations: 0, optOut: false))
            case "expired": PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec, validity: ("20200101", "20200201"))
            default: PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec)
            }
            if label == "unsigned" {
                zones.append((origin, try directory.write(text, to: "\(label).zone")))
                continue
            }
            let signed = try signer.sign(zone: text, origin: origin, in: folder)
            zones.append((origin, try directory.write(try String(contentsOf: signed.file, encoding: .utf8), to: "\(label).zone")))
            if label == "badds" {
                let other = try TemporaryDirectory(prefix: "zone-other")
                defer { other.remove() }
                testText += try signer.sign(zone: text, origin: origin, in: other).ds
            } else {
                testText += signed.ds
            }
        }
        let testFolder = try TemporaryDirectory(prefix: "zone-test")
        defer { testFolder.remove() }
        let test = try PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec).sign(zone: testText, origin: "test.", in: testFolder)
        zones.append(("test.", try directory.write(try String(contentsOf: test.file, encoding: .utf8), to: "test.zone")))
        let rootText = apex(".") + ". NS ns.root.\nns.root. A 127.0.0.1\ntest. NS ns.test.\nns.test. A 127.0.0.1\n" + test.ds
        let rootFolder = try TemporaryDirectory(prefix: "zone-root")
        defer { rootFolder.remove() }
        let root = try PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec).sign(zone: rootText, origin: ".", in: rootFolder)
        zones.insert((".", try directory.write(try String(contentsOf: root.file, encoding: .utf8), to: "root.zone")), at: 0)
        return Hierarchy(directory: directory, zones: zones, rootDS: root.ds)
    }

    /// Each case's question and the status it calls for.
    static let cases: [(String, RRType, SecurityStatus)] = [
        ("www.secure.test.", .a, .secure),
        ("secure.test.", .mx, .secure),
        ("nope.secure.test.", .a, .secure),          // NSEC NXDOMAIN
        ("www.secure.test.", .aaaa, .secure),        // NSEC NODATA
        ("www.nsec3.test.", .a, .secure),
        ("nope.nsec3.test.", .a, .secure),           // NSEC3 NXDOMAIN
        ("www.unsigned.test.", .a, .insecure),       // insecure delegation, NSEC proves no DS
        ("www.expired.test.", .a, .bogus),           // signatures expired in 2020
        ("www.badds.test.", .a, .bogus),             // DS matches no DNSKEY
    ]

    static func judgement(_ status: SecurityStatus) -> UnboundDifferentialTests.Judgement {
        UnboundDifferentialTests.judgement(status)
    }

    @Test func iterativeAndStubAgreeWithTheCasesAndUnbound() async throws {
        let hierarchy = try Self.build()
        defer { hierarchy.directory.remove() }
        let nsd = try NSDServer.start(zones: hierarchy.zones)
        defer { nsd.stop() }
        let unbound = try UnboundResolver.start(zone: ".", otherStubZones: ["test."] + Self.children.map { "\($0.label).test." },
                                                authorityPort: nsd.port, trustAnchor: hierarchy.rootDS)
        defer { unbound.stop() }
        let anchors = try ResolverFiles.trustAnchors(zoneFileText: hierarchy.rootDS)
        let options = DNSExchangeOptions(attemptTimeout: .seconds(2), retries: 2)
        let hints = try RootHints(zoneFileText: ". NS ns.root.\nns.root. A 127.0.0.1")
        let iterative = Resolver(configuration: ResolverConfiguration(mode: .iterative(hints), trustAnchors: anchors, exchange: options,
                                                                      maxLookupDuration: Lab.peerLookupDuration),
                                 exchange: NIODNSExchange(addressMap: DNSAddressMap(fallback: DNSServerAddress(host: "127.0.0.1", port: Int(nsd.port)))))
        let stub = Resolver(configuration: ResolverConfiguration(mode: .stub(DNSServerAddress(host: "127.0.0.1", port: Int(unbound.port))),
                                                                 trustAnchors: anchors, exchange: options,
                                                                 maxLookupDuration: Lab.peerLookupDuration),
                            exchange: NIODNSExchange())
        for (text, type, expected) in Self.cases {
            let theirs = try UnboundDifferentialTests.unboundJudgement(text, type, port: unbound.port)
            for (mode, resolver) in [("iterative", iterative), ("stub", stub)] {
                let result = try await resolver.resolve(name(text), type)
                #expect(result.status == expected, "\(mode) \(text) \(type): \(result.status)\n\(ResolutionReport.text(result))")
                #expect(Self.judgement(result.status) == theirs, "\(mode) \(text) \(type): daneprobe \(result.status), Unbound \(theirs.map(\.rawValue) ?? "no answer")")
            }
        }
        // What decided the broken ones.
        let expired = try await iterative.resolve(name("www.expired.test."), .a)
        #expect(expired.extendedError == .signatureExpired)
        let badds = try await iterative.resolve(name("www.badds.test."), .a)
        #expect(badds.reasons.contains { $0.code == .dsMismatch })
    }
}
