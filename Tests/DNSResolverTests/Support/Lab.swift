import DNSCore
import DNSResolver
import DNSServer
import DNSSEC
import DNSTransport
import DNSZoneFile
import Foundation
import Logging
import PeerTestSupport
import ServiceLifecycle
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A signed lab hierarchy (after hickory-dns' conformance fixtures): `.` → `test.` → zones that
/// are secure, unsigned, NSEC3, opt-out, broken on purpose. Each lab server address
/// (127.0.0.1X:53 in the glue) is a `DNSServerService` on 127.0.0.1 port 0; the resolver's
/// address map sends the glue addresses there.
enum LabZones {
    /// 2026-05-28T20:26:40Z: the lab's fixed now.
    static let now: Int64 = 1_780_000_000

    /// Server address in the glue → zones it serves.
    static let servers: [(address: String, zones: [String])] = [
        ("127.0.0.10", ["."]),
        ("127.0.0.11", ["test."]),
        ("127.0.0.12", ["secure.test.", "badds.test.", "nokey.test.", "expired.test.", "garbage.test.", "oob.test."]),
        ("127.0.0.13", ["unsigned.test.", "child.optout.test."]),
        ("127.0.0.14", ["nsec3.test.", "optout.test."]),
    ]
    /// Never answers (a bound UDP socket nobody reads).
    static let silentAddress = "127.0.0.17"
    /// Answers every query with a few bytes that are no DNS message.
    static let garbageAddress = "127.0.0.18"

    static let texts: [String: String] = [
        ".": """
        . SOA ns.root. hostmaster.root. 1 3600 600 86400 300
        . NS ns.root.
        ns.root. A 127.0.0.10
        test. NS ns.test.
        ns.test. A 127.0.0.11
        """,
        "test.": """
        @ SOA ns hostmaster 1 3600 600 86400 300
        @ NS ns
        ns A 127.0.0.11
        secure NS ns.secure
        ns.secure A 127.0.0.12
        badds NS ns.badds
        ns.badds A 127.0.0.12
        nokey NS ns.nokey
        ns.nokey A 127.0.0.12
        expired NS ns.expired
        ns.expired A 127.0.0.12
        garbage NS ns1.garbage
        garbage NS ns2.garbage
        ns1.garbage A 127.0.0.18
        ns2.garbage A 127.0.0.12
        junk NS ns.junk
        ns.junk A 127.0.0.18
        oob NS ns.oob-host.secure.test.
        timeout NS ns.timeout
        ns.timeout A 127.0.0.17
        unsigned NS ns.unsigned
        ns.unsigned A 127.0.0.13
        nsec3 NS ns.nsec3
        ns.nsec3 A 127.0.0.14
        optout NS ns.optout
        ns.optout A 127.0.0.14
        """,
        "secure.test.": """
        @ SOA ns hostmaster 1 3600 600 86400 300
        @ NS ns
        ns A 127.0.0.12
        www A 192.0.2.1
        *.wild A 192.0.2.2
        alias CNAME www.unsigned.test.
        chain CNAME alias
        loop1 CNAME loop2
        loop2 CNAME loop1
        moved DNAME unsigned.test.
        long DNAME \(longDNAMETarget)
        ns.oob-host A 127.0.0.12
        \(longChain)
        \(bigTXT)
        """,
        "badds.test.": "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.12\nwww A 192.0.2.4",
        "nokey.test.": "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.12\nwww A 192.0.2.5",
        "expired.test.": "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.12\nwww A 192.0.2.6",
        "oob.test.": "@ SOA ns.oob-host.secure.test. hostmaster 1 3600 600 86400 300\n@ NS ns.oob-host.secure.test.\nwww A 192.0.2.12",
        "garbage.test.": "@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\n@ NS ns2\nns1 A 127.0.0.18\nns2 A 127.0.0.12\nwww A 192.0.2.7",
        "unsigned.test.": "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.13\nwww A 192.0.2.3",
        "child.optout.test.": "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.13\nwww A 192.0.2.8",
        "nsec3.test.": "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.14\nwww A 192.0.2.9\n*.wild A 192.0.2.10",
        "optout.test.": """
        @ SOA ns hostmaster 1 3600 600 86400 300
        @ NS ns
        ns A 127.0.0.14
        www A 192.0.2.11
        child NS ns.child
        ns.child A 127.0.0.13
        """,
    ]

    /// A DNAME target of 198 octets: a name below `long.secure.test.` with more than 57
    /// octets of labels of its own cannot be substituted (RFC 6672 §2.2: YXDOMAIN).
    static let longDNAMETarget = (0..<3).map { String(repeating: Character(UnicodeScalar(UInt8(97 + $0))), count: 60) }.joined(separator: ".") + ".unsigned.test."

    /// long0 → long1 → … → long12 → www: 13 CNAME links.
    static var longChain: String {
        (0..<13).map { "long\($0) CNAME \($0 == 12 ? "www" : "long\($0 + 1)")" }.joined(separator: "\n")
    }

    static var bigTXT: String {
        (0..<24).map { "big TXT \"\(String(repeating: Character(UnicodeScalar(UInt8(97 + $0 % 26))), count: 90))\"" }.joined(separator: "\n")
    }

    static let unsignedZones: Set<String> = ["unsigned.test.", "child.optout.test."]

    struct Built: Sendable {
        var zones: [String: Zone]
        var rootDS: [ResourceRecord]
    }

    static let built: Result<Built, any Error> = Result { try build(now: now) }
    /// The same lab signed around the real time, for peers that validate with the system
    /// clock (Unbound).
    static let builtForPeers: Result<Built, any Error> = Result { try build(now: Int64(Date().timeIntervalSince1970)) }

    static func records(_ origin: String) throws -> [ResourceRecord] {
        let result = ZoneFileParser(origin: try DomainName(parsing: origin), defaultTTL: 3600).parse(text: texts[origin] ?? "")
        guard result.errors.isEmpty else { throw LabError("zone \(origin): \(result.errors)") }
        return result.records
    }

    static func options(_ origin: String, now: Int64) -> ZoneSigningOptions {
        let inception = UInt32(now - 86_400)
        let expiration = UInt32(now + 30 * 86_400)
        return switch origin {
        case "nsec3.test.": ZoneSigningOptions(denial: .nsec3(.init(salt: [0xAB], iterations: 0)), inception: inception, expiration: expiration)
        case "optout.test.": ZoneSigningOptions(denial: .nsec3(.init(iterations: 0, optOut: true)), inception: inception, expiration: expiration)
        case "expired.test.": ZoneSigningOptions(inception: UInt32(now - 20 * 86_400), expiration: UInt32(now - 10 * 86_400))
        default: ZoneSigningOptions(inception: inception, expiration: expiration)
        }
    }

    /// Signs bottom-up: each child's DS goes into its parent before the parent is signed.
    static func build(now: Int64) throws -> Built {
        var dsByZone: [String: [ResourceRecord]] = [:]
        var zones: [String: Zone] = [:]
        let order = ["secure.test.", "badds.test.", "nokey.test.", "expired.test.", "garbage.test.", "oob.test.", "unsigned.test.",
                     "child.optout.test.", "nsec3.test.", "optout.test.", "test.", "."]
        for origin in order {
            var records = try records(origin)
            if origin == "test." {
                for (child, ds) in dsByZone where child.hasSuffix(".test.") && child.split(separator: ".").count == 2 { records += ds }
            }
            if origin == "." { records += dsByZone["test."] ?? [] }
            let apex = try DomainName(parsing: origin)
            if unsignedZones.contains(origin) {
                zones[origin] = try Zone(origin: apex, records: records)
                continue
            }
            let key = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256, flags: DNSSECSigningKey.keySigningFlags)
            let signed = try ZoneSigner(apex: apex, keys: [key], options: options(origin, now: now)).sign(records)
            var ds = signed.ds
            if origin == "badds.test." {
                // A DS for a key the zone does not have: DS mismatch.
                let other = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256, flags: DNSSECSigningKey.keySigningFlags)
                ds = try ZoneSigner(apex: apex, keys: [other], options: options(origin, now: now)).sign(records).ds
            }
            dsByZone[origin] = ds
            zones[origin] = try Zone(origin: apex, records: signed.records)
        }
        return Built(zones: zones, rootDS: dsByZone["."] ?? [])
    }
}

struct LabError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The running lab: its services, the address map to them, root hints and trust anchor.
struct Lab: Sendable {
    /// The per-lookup deadline (`maxLookupDuration`) of resolvers in tests against outside
    /// peers (NSD, Unbound). It is wall time, and `swift test` runs ~980 tests on a
    /// cooperative pool of one thread per core: in CI the tests that wait for subprocesses
    /// (signers, daemons, `daneprobe` itself) hold both threads for ~30 s early in the run, and
    /// a lookup started then ran past the product's 30 s while its tasks waited to be run
    /// (NSDPeerResolutionTests failed twice so). These tests judge answers, not the deadline,
    /// which has tests of its own (`AdversarialPeerTests`).
    static let peerLookupDuration: Duration = .seconds(600)

    var addressMap: DNSAddressMap
    var rootHints: RootHints
    var anchors: TrustAnchorSet
    /// Real ports, by glue address.
    var ports: [String: Int]

    static func resolver(_ lab: Lab, clock: ManualResolverClock = ManualResolverClock(LabZones.now),
                         timeout: Duration = .seconds(1), bogusTTL: Int64 = 60, randomizeCase: Bool = false,
                         cacheCapacity: Int = 100_000) -> Resolver {
        let configuration = ResolverConfiguration(mode: .iterative(lab.rootHints), trustAnchors: lab.anchors,
                                                  exchange: DNSExchangeOptions(attemptTimeout: timeout, retries: 0), bogusTTL: bogusTTL,
                                                  randomizeCase: randomizeCase, cacheCapacity: cacheCapacity)
        return Resolver(configuration: configuration, exchange: NIODNSExchange(addressMap: lab.addressMap), clock: clock,
                        randomness: SeededQueryRandomness(seed: 7))
    }

    /// Starts every lab server for `body`, then shuts them down gracefully.
    /// Every lab zone on one service (parent and child answered by the same server, as a
    /// peer resolver's stub zone needs): `body` gets the lab (every address mapped to the one
    /// port) and the port.
    static func runAllInOne(built: LabZones.Built, faults: FaultPlan = FaultPlan(), host: String = "127.0.0.1",
                            _ body: @Sendable (Lab, Int) async throws -> Void) async throws {
        let catalog = try ZoneCatalog(zones: Array(built.zones.values), faults: faults)
        let service = DNSServerService(responder: AuthoritativeResponder(answerer: AuthoritativeAnswerer(catalog: catalog)),
                                       configuration: .init(listen: [ListenAddress(host: host, port: 0)]), logger: quietLogger)
        let group = ServiceGroup(services: [service], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try await service.boundListeners().first { $0.transport == .udp }?.port ?? 0
                let hints = try RootHints(zoneFileText: ". NS ns.root.\nns.root. A 127.0.0.10")
                let lab = Lab(addressMap: DNSAddressMap(fallback: DNSServerAddress(host: host, port: port)), rootHints: hints,
                              anchors: TrustAnchorSet(records: built.rootDS), ports: [:])
                try await body(lab, port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func run(faults: [String: FaultPlan] = [:], responders: [String: any DNSResponder] = [:],
                    _ body: @Sendable (Lab) async throws -> Void) async throws {
        let built = try LabZones.built.get()
        var services: [(String, DNSServerService)] = []
        for (address, origins) in LabZones.servers {
            let catalog = try ZoneCatalog(zones: origins.compactMap { built.zones[$0] }, faults: faults[address] ?? FaultPlan())
            let responder = responders[address] ?? AuthoritativeResponder(answerer: AuthoritativeAnswerer(catalog: catalog))
            services.append((address, DNSServerService(responder: responder, configuration: .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
                                                        logger: quietLogger)))
        }
        services.append((LabZones.garbageAddress, DNSServerService(responder: GarbageResponder(),
                                                                    configuration: .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
                                                                    logger: quietLogger)))
        let silent = try LoopbackSocket.open(.datagram)
        defer { close(silent) }
        try LoopbackSocket.bindLoopback(silent, port: 0)
        let silentPort = Int(try LoopbackSocket.boundPort(silent))

        let group = ServiceGroup(services: services.map(\.1), logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                var ports: [String: Int] = [LabZones.silentAddress: silentPort]
                for (address, service) in services {
                    let listeners = try await service.boundListeners()
                    ports[address] = listeners.first { $0.transport == .udp }?.port ?? 0
                }
                var entries: [DNSServerAddress: DNSServerAddress] = [:]
                for (address, port) in ports { entries[DNSServerAddress(host: address)] = DNSServerAddress(host: "127.0.0.1", port: port) }
                let hints = try RootHints(zoneFileText: ". NS ns.root.\nns.root. A 127.0.0.10")
                let lab = Lab(addressMap: DNSAddressMap(entries), rootHints: hints, anchors: TrustAnchorSet(records: built.rootDS), ports: ports)
                try await body(lab)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Replies to everything with bytes that are not a DNS message.
struct GarbageResponder: DNSResponder {
    func respond(to query: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
        .reply([0xDE, 0xAD, 0xBE, 0xEF])
    }
}

func name(_ text: String) -> DomainName {
    (try? DomainName(parsing: text)) ?? .root
}

let quietLogger: Logger = {
    var logger = Logger(label: "lab")
    logger.logLevel = .error
    return logger
}()

/// Answers every query with a referral from `test.` to `evil.test.` whose only name server
/// lies outside `test.`, with an address record for it anyway (out-of-bailiwick glue, RFC
/// 2181 §5.4.1): pointing at the garbage server.
struct OutOfBailiwickGlueResponder: DNSResponder {
    func respond(to query: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
        guard let message = try? Message(wire: query), let question = message.questions.first else { return .drop }
        var response = Message(header: MessageHeader(id: message.header.id, isResponse: true), questions: [question])
        response.authority = [ResourceRecord(owner: name("evil.test."), ttl: 300, NS(name("ns.elsewhere.")))]
        response.additional = [ResourceRecord(owner: name("ns.elsewhere."), ttl: 300, A(IPv4Address(127, 0, 0, 18)))]
        return .reply(response.wire)
    }
}
