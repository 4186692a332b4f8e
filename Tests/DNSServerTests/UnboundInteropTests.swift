import PeerTestSupport
import DNSCore
import DNSSEC
import DNSServer
import DNSZoneFile
import Foundation
import Synchronization
import Testing

/// Unbound validates what we serve (INTEROP.md): a zone signed by ldns-signzone, served by
/// our server beside an unsigned child and an unsigned zone, resolved through Unbound with the
/// zone's DS as trust anchor. Secure answers come back with AD, a signature the fault plan
/// corrupts gives SERVFAIL, insecure ones come without AD.
@Suite(.serialized, .enabled(if: ExternalTool.available("unbound", "dig", "ldns-keygen", "ldns-signzone", "ldns-key2ds"),
                             "unbound, dig or ldns-utils (Debian's unbound, bind9-dnsutils, ldnsutils) is not installed"))
struct UnboundInteropTests {
    static let signedText = """
    $ORIGIN example.test.
    $TTL 300
    @         SOA   ns1 hostmaster 1 3600 900 604800 300
    @         NS    ns1
    ns1       A     127.0.0.1
    www       A     192.0.2.80
    www       AAAA  2001:db8::80
    bad       A     192.0.2.66
    expired   A     192.0.2.67
    @         MX    10 mail
    mail      A     192.0.2.25
    *.wild    TXT   "wildcard"
    alias     CNAME www
    insecure  NS    ns.insecure
    ns.insecure A   127.0.0.1

    """

    static let childText = "@ SOA ns hm 1 3600 900 604800 300\n@ NS ns\nns A 127.0.0.1\nwww A 192.0.2.81\n"
    static let plainText = "@ SOA ns hm 1 3600 900 604800 300\n@ NS ns\nns A 127.0.0.1\nwww A 192.0.2.82\n"

    static func catalog(denial: PeerZoneSigner.Denial, faults: FaultPlan, in directory: TemporaryDirectory) throws -> (ZoneCatalog, ds: String) {
        let signed = try PeerZoneSigner(tool: .ldns, algorithm: 13, denial: denial).sign(zone: signedText, origin: "example.test.", in: directory)
        let zone = try ZoneSource(path: signed.file.path, origin: name("example.test.")).load()
        return (try catalog(zone, faults: faults), signed.ds)
    }

    /// The zone signed at load by our own signer (DNSSEC's `ZoneSigner` as the catalog's
    /// signing step), with a fresh ECDSA P-256 key.
    static func catalogSignedByUs(nsec3: Bool, faults: FaultPlan, in directory: TemporaryDirectory) throws -> (ZoneCatalog, ds: String) {
        let key = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256, flags: DNSSECSigningKey.keySigningFlags)
        let now = UInt32(Date().timeIntervalSince1970)
        let options = ZoneSigningOptions(denial: nsec3 ? .nsec3(.init()) : .nsec, inception: now - 3600, expiration: now + 86_400)
        let ds = Mutex<[ResourceRecord]>([])
        let step = ClosureSigningStep { records, origin in
            let signed = try ZoneSigner(apex: origin, keys: [key], options: options).sign(records)
            ds.withLock { $0 = signed.ds }
            return signed.records
        }
        let file = try directory.write(signedText, to: "unsigned.zone")
        let zone = try ZoneSource(path: file.path, origin: name("example.test."), sign: true).load(signing: step)
        return (try catalog(zone, faults: faults), ZoneFilePrinter.print(ds.withLock { $0 }))
    }

    static func catalog(_ zone: Zone, faults: FaultPlan) throws -> ZoneCatalog {
        let child = try TestZones.zone(childText, origin: "insecure.example.test.")
        let plain = try TestZones.zone(plainText, origin: "plain.test.")
        return try ZoneCatalog(zones: [zone, child, plain], faults: faults)
    }

    struct Answer {
        var status: String
        var authenticated: Bool
        var text: String
    }

    static func ask(_ port: UInt16, _ qname: String, _ qtype: String) throws -> Answer {
        let out = try ExternalTool.require("dig").check(["@127.0.0.1", "-p", String(port), "+dnssec", "+time=10", "+tries=1", qname, qtype]).stdoutText
        let status = out.components(separatedBy: "status: ").dropFirst().first?.components(separatedBy: ",").first ?? "?"
        let flags = out.components(separatedBy: ";; flags: ").dropFirst().first?.components(separatedBy: ";").first ?? ""
        return Answer(status: status, authenticated: flags.split(separator: " ").contains("ad"), text: out)
    }

    static let denials: [PeerZoneSigner.Denial] = [.nsec, .nsec3(salt: "", iterations: 0, optOut: false)]

    static let faults = FaultPlan([
        (.query(name: name("bad.example.test."), type: .a), [.corruptSignatures]),
        (.query(name: name("expired.example.test."), type: .a), [.stripSignatures]),
    ])

    @Test(arguments: denials)
    func unboundValidatesOurAnswersForALDNSSignedZone(_ denial: PeerZoneSigner.Denial) async throws {
        let directory = try TemporaryDirectory(prefix: "unbound-interop")
        defer { directory.remove() }
        let (catalog, ds) = try Self.catalog(denial: denial, faults: Self.faults, in: directory)
        try await Self.check(catalog, ds: ds)
    }

    /// DESIGN.md, "Tests": daneprobe's signed zones must validate in Unbound.
    @Test(arguments: [false, true])
    func unboundValidatesAZoneWeSignedAtLoad(nsec3: Bool) async throws {
        let directory = try TemporaryDirectory(prefix: "unbound-interop")
        defer { directory.remove() }
        let (catalog, ds) = try Self.catalogSignedByUs(nsec3: nsec3, faults: Self.faults, in: directory)
        try await Self.check(catalog, ds: ds)
    }

    static func check(_ catalog: ZoneCatalog, ds: String) async throws {
        try await LoopbackServer.run(AuthoritativeAnswerer(catalog: catalog)) { port in
            let unbound = try UnboundResolver.start(zone: "example.test.", otherStubZones: ["plain.test."], authorityPort: port, trustAnchor: ds)
            defer { unbound.stop() }
            func expect(_ qname: String, _ qtype: String, _ status: String, secure: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
                let answer = try Self.ask(unbound.port, qname, qtype)
                #expect(answer.status == status, "\(qname) \(qtype)\n\(answer.text)\n\(unbound.daemon.log)", sourceLocation: sourceLocation)
                #expect(answer.authenticated == secure, "\(qname) \(qtype) AD\n\(answer.text)\n\(unbound.daemon.log)", sourceLocation: sourceLocation)
            }
            try expect("www.example.test.", "A", "NOERROR", secure: true)
            try expect("www.example.test.", "AAAA", "NOERROR", secure: true)
            try expect("example.test.", "MX", "NOERROR", secure: true)
            try expect("alias.example.test.", "A", "NOERROR", secure: true)
            try expect("a.wild.example.test.", "TXT", "NOERROR", secure: true)
            try expect("nope.example.test.", "A", "NXDOMAIN", secure: true)
            try expect("www.example.test.", "TXT", "NOERROR", secure: true)
            try expect("a.wild.example.test.", "A", "NOERROR", secure: true)
            // The lab's broken names: bogus, so SERVFAIL.
            try expect("bad.example.test.", "A", "SERVFAIL", secure: false)
            try expect("expired.example.test.", "A", "SERVFAIL", secure: false)
            // An insecure delegation (no DS, proven by NSEC/NSEC3) and a zone no anchor covers.
            try expect("www.insecure.example.test.", "A", "NOERROR", secure: false)
            try expect("www.plain.test.", "A", "NOERROR", secure: false)
        }
    }
}

extension PeerZoneSigner.Denial: CustomTestStringConvertible {
    public var testDescription: String { description }
}
