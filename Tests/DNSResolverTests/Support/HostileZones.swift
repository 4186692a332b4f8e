import DNSCore
import DNSResolver
import DNSServer
import DNSSEC
import DNSTransport
import DNSZoneFile
import Logging
import ServiceLifecycle
import Synchronization

/// Signed zones built to hurt a validator (issue 10; DNSSEC-CASES.md cases 15 and 18), all
/// served by one authoritative `DNSServerService` (parent and child on one server, as
/// `Lab.runAllInOne`), signed at `LabZones.now`:
/// - `www.trap.` TXT carries `rrsigCount` RRSIGs that all name the zone key's tag, and the
///   `trap.` DNSKEY RRset holds `colliderCount` more keys with that tag (KeyTrap,
///   CVE-2023-50387: keys × signatures);
/// - `keytrap.`: its DNSKEY RRset is signed by `rrsigCount` bogus RRSIGs before the real one;
/// - `dstrap.`: `colliderCount` DS records in the root and as many DNSKEYs in the child all
///   share one key tag (the DS-digest side of KeyTrap);
/// - `n3-150.`, `n3-151.`, `n3-2500.`: NSEC3 zones with those iteration counts (RFC 9276).
enum HostileZones {
    static let now = LabZones.now

    struct Built: Sendable {
        var zones: [Zone]
        var rootDS: [ResourceRecord]
    }

    static let rrsigCount = 150
    static let colliderCount = 150
    static let dsTrapCount = 600

    static let built: Result<Built, any Error> = Result { try build() }

    static func parse(_ origin: String, _ text: String) throws -> [ResourceRecord] {
        let result = ZoneFileParser(origin: try DomainName(parsing: origin), defaultTTL: 3600).parse(text: text)
        guard result.errors.isEmpty else { throw LabError("zone \(origin): \(result.errors)") }
        return result.records
    }

    static func options(iterations: UInt16? = nil) -> ZoneSigningOptions {
        let inception = UInt32(now - 86_400)
        let expiration = UInt32(now + 30 * 86_400)
        if let iterations {
            return ZoneSigningOptions(denial: .nsec3(.init(salt: [0xAB, 0xCD], iterations: iterations)), inception: inception, expiration: expiration)
        }
        return ZoneSigningOptions(inception: inception, expiration: expiration)
    }

    static func child(_ origin: String) -> String {
        "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.10\nwww A 192.0.2.1\n*.wild A 192.0.2.2"
    }

    /// Ed25519 DNSKEYs (flags 256) with key tag `tag`: random public keys whose first two
    /// octets are chosen so that the RFC 4034 Appendix B checksum comes out at `tag`.
    static func colliders(tag: UInt16, count: Int, seed: UInt64) -> [DNSKEY] {
        var random = SplitMix64(seed: seed)
        var keys: [DNSKEY] = []
        while keys.count < count {
            var key = (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            key[0] = 0
            key[1] = 0
            let rdata: [UInt8] = [0x01, 0x00, 3, DNSSECAlgorithm.ed25519.rawValue] + key
            var sum: UInt32 = 0
            for (index, byte) in rdata.enumerated() { sum += index & 1 == 0 ? UInt32(byte) << 8 : UInt32(byte) }
            // rdata[4], rdata[5] form one 16-bit word of the sum: find the word that lands on
            // `tag` (the fold is addition modulo 65,535 give or take one, so look near the guess).
            let folded = UInt16(truncatingIfNeeded: sum + (sum >> 16))
            let guess = Int(tag &- folded)
            for offset in [0, -1, 1, -2, 2] {
                let word = UInt32((guess + offset + 65_536) % 65_536)
                let total = sum + word
                if UInt16(truncatingIfNeeded: total + (total >> 16)) == tag {
                    key[0] = UInt8(word >> 8)
                    key[1] = UInt8(word & 0xFF)
                    break
                }
            }
            let dnskey = DNSKEY(flags: DNSKEY.zoneKeyFlag, algorithm: .ed25519, publicKey: key)
            if dnskey.keyTag == tag { keys.append(dnskey) }
        }
        return keys
    }

    /// `count` RRSIGs over `owner`/`type` naming `key`'s tag and algorithm, with random
    /// signatures (none verifies).
    static func bogusSignatures(_ owner: DomainName, _ type: RRType, key: DNSSECSigningKey, signer: DomainName, count: Int, seed: UInt64) -> [ResourceRecord] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let signature = (0..<64).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return ResourceRecord(owner: owner, ttl: 3600, RRSIG(
                typeCovered: type, algorithm: key.algorithm, labels: UInt8(owner.labelCount), originalTTL: 3600,
                expiration: UInt32(now + 30 * 86_400), inception: UInt32(now - 86_400), keyTag: key.keyTag, signerName: signer,
                signature: signature))
        }
    }

    static func build() throws -> Built {
        var zones: [Zone] = []
        var rootDS: [ResourceRecord] = []
        func sign(_ origin: String, _ records: [ResourceRecord], key: DNSSECSigningKey, options: ZoneSigningOptions) throws -> SignedZone {
            try ZoneSigner(apex: try DomainName(parsing: origin), keys: [key], options: options).sign(records)
        }
        // NSEC3 children.
        for iterations: UInt16 in [150, 151, 2500] {
            let origin = "n3-\(iterations)."
            let key = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256, flags: DNSSECSigningKey.keySigningFlags)
            let signed = try sign(origin, try parse(origin, child(origin)), key: key, options: options(iterations: iterations))
            zones.append(try Zone(origin: try DomainName(parsing: origin), records: signed.records))
            rootDS += signed.ds
        }
        // keytrap.: bogus RRSIGs over its DNSKEY RRset, ahead of the real one.
        do {
            let origin = "keytrap."
            let apex = try DomainName(parsing: origin)
            let key = try DNSSECSigningKey.generate(algorithm: .ed25519, flags: DNSSECSigningKey.keySigningFlags)
            let signed = try sign(origin, try parse(origin, child(origin)), key: key, options: options())
            var records = bogusSignatures(apex, .dnskey, key: key, signer: apex, count: rrsigCount, seed: 3)
            records += signed.records
            zones.append(try Zone(origin: apex, records: records))
            rootDS += signed.ds
        }
        // trap.: www.trap. TXT under KeyTrap (colliding keys × bogus RRSIGs).
        do {
            let apex = try DomainName(parsing: "trap.")
            let key = try DNSSECSigningKey.generate(algorithm: .ed25519, flags: DNSSECSigningKey.keySigningFlags)
            let extra = colliders(tag: key.keyTag, count: colliderCount, seed: 1).map { ResourceRecord(owner: apex, ttl: 3600, $0) }
            let text = child("trap.") + "\nwww TXT \"keytrap\""
            let signed = try sign("trap.", try parse("trap.", text) + extra, key: key, options: options())
            let www = try DomainName(parsing: "www.trap.")
            var records = signed.records.filter { !($0.owner == www && $0.type == .rrsig && $0.rdata.as(RRSIG.self)?.typeCovered == .txt) }
            records += bogusSignatures(www, .txt, key: key, signer: apex, count: rrsigCount, seed: 2)
            zones.append(try Zone(origin: apex, records: records))
            rootDS += signed.ds
        }
        // dstrap.: many DNSKEYs and many DS records sharing one key tag.
        let dstrapApex = try DomainName(parsing: "dstrap.")
        do {
            let key = try DNSSECSigningKey.generate(algorithm: .ed25519, flags: DNSSECSigningKey.keySigningFlags)
            let extra = colliders(tag: key.keyTag, count: dsTrapCount, seed: 5).map { ResourceRecord(owner: dstrapApex, ttl: 3600, $0) }
            let signed = try sign("dstrap.", try parse("dstrap.", child("dstrap.")) + extra, key: key, options: options())
            zones.append(try Zone(origin: dstrapApex, records: signed.records))
            var random = SplitMix64(seed: 9)
            rootDS += signed.ds
            rootDS += (0..<dsTrapCount).map { _ in
                ResourceRecord(owner: dstrapApex, ttl: 3600, DS(keyTag: key.keyTag, algorithm: .ed25519, digestType: .sha256,
                                                                digest: (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }))
            }
        }
        // The root: `trap.` TXT under KeyTrap, the children delegated with their DS.
        let rootKey = try DNSSECSigningKey.generate(algorithm: .ed25519, flags: DNSSECSigningKey.keySigningFlags)
        var rootText = """
        . SOA ns.root. hostmaster.root. 1 3600 600 86400 300
        . NS ns.root.
        ns.root. A 127.0.0.10
        """
        for origin in ["n3-150.", "n3-151.", "n3-2500.", "keytrap.", "dstrap.", "trap."] {
            rootText += "\n\(origin) NS ns.\(origin)\nns.\(origin) A 127.0.0.10"
        }
        let root = try sign(".", try parse(".", rootText) + rootDS, key: rootKey, options: options())
        zones.append(try Zone(origin: .root, records: root.records))
        return Built(zones: zones, rootDS: root.ds)
    }
}

/// Counts the queries an inner responder is asked.
final class CountingResponder: DNSResponder {
    let inner: any DNSResponder
    private let count = Mutex(0)

    init(_ inner: any DNSResponder) { self.inner = inner }

    var queries: Int { count.withLock { $0 } }

    func respond(to query: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
        count.withLock { $0 += 1 }
        return inner.respond(to: query, context: context)
    }
}

/// Serves `HostileZones` on 127.0.0.1 port 0 for `body`, which gets the responder (to count
/// queries) and the port.
enum HostileZoneServer {
    static func run<T: Sendable>(_ body: @Sendable (CountingResponder, Int) async throws -> T) async throws -> T {
        let built = try HostileZones.built.get()
        let responder = CountingResponder(AuthoritativeResponder(answerer: AuthoritativeAnswerer(catalog: try ZoneCatalog(zones: built.zones))))
        let service = DNSServerService(responder: responder, configuration: .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
                                       logger: quietLogger)
        let group = ServiceGroup(services: [service], logger: quietLogger)
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            let result: T
            do {
                let port = try await service.boundListeners().first { $0.transport == .udp }?.port ?? 0
                result = try await body(responder, port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
