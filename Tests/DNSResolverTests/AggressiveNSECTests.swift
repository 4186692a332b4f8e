import DNSCore
import DNSResolver
import DNSSEC
import DNSServer
import DNSTransport
import DNSZoneFile
import Synchronization
import Testing

/// Wraps the real exchange to the lab servers and records every question sent.
final class CountingExchange: DNSExchange {
    let inner: NIODNSExchange
    private let sent = Mutex<[Question]>([])

    init(addressMap: DNSAddressMap) { inner = NIODNSExchange(addressMap: addressMap) }

    func exchange(_ query: Message, with server: DNSServerAddress, options: DNSExchangeOptions) async throws(DNSExchangeError) -> Message {
        sent.withLock { $0 += query.questions }
        return try await inner.exchange(query, with: server, options: options)
    }

    var count: Int { sent.withLock { $0.count } }
    var questions: [Question] { sent.withLock { $0 } }
}

/// DNSSEC-CASES 31, RFC 8198: negative answers synthesised from validated NSEC records held,
/// against the lab's real servers (only the queries are counted).
@Suite(.serialized) struct AggressiveNSECTests {
    static func resolver(_ lab: Lab, clock: ManualResolverClock, aggressive: Bool = true) -> (Resolver, CountingExchange) {
        let configuration = ResolverConfiguration(mode: .iterative(lab.rootHints), trustAnchors: lab.anchors,
                                                  exchange: DNSExchangeOptions(attemptTimeout: .seconds(1), retries: 0),
                                                  aggressiveNSEC: aggressive)
        let exchange = CountingExchange(addressMap: lab.addressMap)
        return (Resolver(configuration: configuration, exchange: exchange, clock: clock, randomness: SeededQueryRandomness(seed: 7)), exchange)
    }

    static func synthesised(_ answer: Validated<Answer>) -> Bool {
        answer.reasons.contains { $0.rule == "RFC 8198 §5.1" && $0.detail.contains("synthesised from cached NSEC") }
    }

    /// secure.test.: `nope` and `mz` both fall between `moved` and `ns`; the apex NSEC
    /// (secure.test. → alias) covers the wildcard `*.secure.test.`.
    @Test func nxDomainInTheSameNSECRangeNeedsNoQuery() async throws {
        try await Lab.run { lab in
            let (resolver, exchange) = Self.resolver(lab, clock: ManualResolverClock(LabZones.now))
            let first = try await resolver.resolve(name("nope.secure.test."), .a)
            #expect(first.value.denial == .nxDomain && first.status == .secure)
            #expect(!Self.synthesised(first))
            let before = exchange.count
            #expect(before > 0)
            for (text, type) in [("mz.secure.test.", RRType.a), ("nothing.secure.test.", .mx), ("a.b.mz.secure.test.", .txt)] {
                let answer = try await resolver.resolve(name(text), type)
                #expect(answer.status == .secure, "\(text)")
                #expect(answer.value.rcode == .nxDomain && answer.value.denial == .nxDomain, "\(text)")
                #expect(answer.value.zone == name("secure.test."))
                #expect(Self.synthesised(answer), "\(text)")
                #expect(answer.value.negativeTTL.map { $0 > 0 && $0 <= 300 } == true)
            }
            #expect(exchange.count == before, "sent: \(exchange.questions.dropFirst(before))")
        }
    }

    /// The same lookups with `aggressiveNSEC: false` ask (so the test above can fail).
    @Test func turnedOffItAsks() async throws {
        try await Lab.run { lab in
            let (resolver, exchange) = Self.resolver(lab, clock: ManualResolverClock(LabZones.now), aggressive: false)
            _ = try await resolver.resolve(name("nope.secure.test."), .a)
            let before = exchange.count
            let answer = try await resolver.resolve(name("mz.secure.test."), .a)
            #expect(answer.value.denial == .nxDomain && answer.status == .secure)
            #expect(!Self.synthesised(answer))
            #expect(exchange.count > before)
        }
    }

    /// RFC 8198 §5.2: the NSEC at www (A, RRSIG, NSEC) denies MX and AAAA there too.
    @Test func noDataFromTheNSECAtTheName() async throws {
        try await Lab.run { lab in
            let (resolver, exchange) = Self.resolver(lab, clock: ManualResolverClock(LabZones.now))
            let first = try await resolver.resolve(name("www.secure.test."), .txt)
            #expect(first.value.denial == .noData && first.status == .secure)
            let before = exchange.count
            for type in [RRType.mx, .aaaa] {
                let answer = try await resolver.resolve(name("www.secure.test."), type)
                #expect(answer.status == .secure)
                #expect(answer.value.rcode == .noError && answer.value.denial == .noData)
                #expect(Self.synthesised(answer))
            }
            #expect(exchange.count == before)
            // A is in the bitmap: asked, and found.
            let a = try await resolver.resolve(name("www.secure.test."), .a)
            #expect(a.status == .secure && a.value.rrsets.count == 1)
            #expect(exchange.count > before)
        }
    }

    /// A name no held NSEC covers (`zzz` is in the last range, www → apex, not yet seen) is asked.
    @Test func nameNotCoveredIsAsked() async throws {
        try await Lab.run { lab in
            let (resolver, exchange) = Self.resolver(lab, clock: ManualResolverClock(LabZones.now))
            _ = try await resolver.resolve(name("nope.secure.test."), .a)
            let before = exchange.count
            let answer = try await resolver.resolve(name("zzz.secure.test."), .a)
            #expect(answer.value.denial == .nxDomain && answer.status == .secure)
            #expect(!Self.synthesised(answer))
            #expect(exchange.questions.dropFirst(before).contains { $0.name == name("zzz.secure.test.") })
            // Now www → apex is held as well: a name after www needs no query.
            let after = exchange.count
            let later = try await resolver.resolve(name("zzzz.secure.test."), .a)
            #expect(later.value.denial == .nxDomain && Self.synthesised(later))
            #expect(exchange.count == after)
        }
    }

    /// RFC 6840 §4.1: test.'s NSEC at the delegation nokey.test. (nokey → ns) spans
    /// names below the cut, but the child zone answers for them: asked, never synthesised
    /// from the parent's records. A name beside it in test. is synthesised. (nokey.test. is a
    /// secure zone despite its name.)
    @Test func parentNSECDoesNotDenyBelowADelegation() async throws {
        try await Lab.run { lab in
            let (resolver, exchange) = Self.resolver(lab, clock: ManualResolverClock(LabZones.now))
            let first = try await resolver.resolve(name("nope.test."), .a)
            #expect(first.value.denial == .nxDomain && first.status == .secure)
            var before = exchange.count
            let beside = try await resolver.resolve(name("nop.test."), .a)
            #expect(Self.synthesised(beside) && beside.value.zone == name("test."))
            #expect(exchange.count == before)
            before = exchange.count
            let below = try await resolver.resolve(name("nothere.nokey.test."), .txt)
            #expect(below.value.denial == .nxDomain && below.value.zone == name("nokey.test."))
            #expect(!Self.synthesised(below))
            #expect(exchange.questions.dropFirst(before).contains { $0.name == name("nothere.nokey.test.") })
            // The child's own apex NSEC, now held, answers for the apex: from nokey.test., not test.
            before = exchange.count
            let apex = try await resolver.resolve(name("nokey.test."), .txt)
            #expect(Self.synthesised(apex) && apex.value.zone == name("nokey.test.") && apex.value.denial == .noData)
            #expect(exchange.count == before)
        }
    }

    /// NSEC3 (and its Opt-Out) is never used for synthesis in this resolver.
    @Test func nsec3AndOptOutZonesAreAsked() async throws {
        try await Lab.run { lab in
            let (resolver, exchange) = Self.resolver(lab, clock: ManualResolverClock(LabZones.now))
            for (first, second) in [("nope.nsec3.test.", "nope2.nsec3.test."), ("nope.optout.test.", "nope2.optout.test.")] {
                let a = try await resolver.resolve(name(first), .a)
                #expect(a.value.denial == .nxDomain)
                let before = exchange.count
                let b = try await resolver.resolve(name(second), .a)
                #expect(b.value.denial == .nxDomain)
                #expect(!Self.synthesised(b))
                #expect(exchange.questions.dropFirst(before).contains { $0.name == name(second) }, "\(second)")
            }
            #expect(await resolver.heldNSECCount() == 0)
        }
    }

    /// RFC 8198 §5.4: the records live min(NSEC TTL, SOA MINIMUM) = 300 s here.
    @Test func expiryEndsSynthesis() async throws {
        try await Lab.run { lab in
            let clock = ManualResolverClock(LabZones.now)
            let (resolver, exchange) = Self.resolver(lab, clock: clock)
            _ = try await resolver.resolve(name("nope.secure.test."), .a)
            clock.advance(by: 299)
            var before = exchange.count
            let held = try await resolver.resolve(name("mz.secure.test."), .a)
            #expect(Self.synthesised(held) && held.status == .secure)
            #expect(held.value.negativeTTL == 1)
            #expect(exchange.count == before)
            clock.advance(by: 2)
            before = exchange.count
            let expired = try await resolver.resolve(name("my.secure.test."), .a)
            #expect(expired.value.denial == .nxDomain && expired.status == .secure)
            #expect(!Self.synthesised(expired))
            #expect(exchange.questions.dropFirst(before).contains { $0.name == name("my.secure.test.") })
        }
    }

    /// Bogus (DS mismatch, expired signatures) and insecure (unsigned) zones: nothing is held,
    /// every name is asked.
    @Test func bogusAndInsecureZonesNeverSynthesise() async throws {
        try await Lab.run { lab in
            let (resolver, exchange) = Self.resolver(lab, clock: ManualResolverClock(LabZones.now))
            for (zone, status) in [("badds.test.", SecurityStatus.bogus), ("expired.test.", .bogus), ("unsigned.test.", .insecure)] {
                let first = try await resolver.resolve(name("nope.\(zone)"), .a)
                #expect(first.status == status, "\(zone)")
                let before = exchange.count
                let second = try await resolver.resolve(name("nopf.\(zone)"), .a)
                #expect(second.status == status, "\(zone)")
                #expect(!Self.synthesised(second))
                #expect(exchange.questions.dropFirst(before).contains { $0.name == name("nopf.\(zone)") }, "\(zone)")
            }
            #expect(await resolver.heldNSECCount() == 0)
        }
    }
}

/// The synthesis rules on hand-made records (already "verified"), RFC 8198 §5.2-5.3.
struct AggressiveNSECSynthesisTests {
    static let zone = name("example.")

    static func record(_ owner: String, _ next: String, _ types: [RRType]) -> NSECRecord {
        let owner = name(owner)
        return NSECRecord(owner: owner, nsec: NSEC(nextDomainName: name(next), types: TypeBitmap(types + [.rrsig, .nsec])),
                          signatureLabels: UInt8(owner.rrsigLabelCount))
    }

    static let apex = record("example.", "b.example.", [.soa, .ns])

    @Test func nameErrorNeedsTheWildcardDenial() {
        let cover = Self.record("b.example.", "d.example.", [.a])
        let proof = AggressiveNSECCache.synthesize(qname: name("c.example."), qtype: .a, zone: Self.zone, records: [Self.apex, cover])
        #expect(proof?.kind == .nameError && proof?.status == .secure)
        // Without the NSEC covering *.example. there is no NXDOMAIN.
        #expect(AggressiveNSECCache.synthesize(qname: name("c.example."), qtype: .a, zone: Self.zone, records: [cover]) == nil)
    }

    /// DNSSEC-CASES 31: an NSEC whose next name is outside the zone is not used, nor kept.
    @Test func nextNameOutsideTheZoneIsRejected() {
        let outside = Self.record("b.example.", "zzz.other.", [.a])
        #expect(AggressiveNSECCache.synthesize(qname: name("c.example."), qtype: .a, zone: Self.zone, records: [Self.apex, outside]) == nil)
        #expect(AggressiveNSECCache.storable([Self.apex, outside], zone: Self.zone) == [Self.apex])
    }

    /// RFC 6840 §4.3: the CNAME bit forbids NODATA; a type in the bitmap too.
    @Test func noDataNeedsTypeAndCNAMEAbsent() {
        let plain = Self.record("b.example.", "d.example.", [.a])
        #expect(AggressiveNSECCache.synthesize(qname: name("b.example."), qtype: .mx, zone: Self.zone, records: [plain])?.kind == .noData)
        #expect(AggressiveNSECCache.synthesize(qname: name("b.example."), qtype: .a, zone: Self.zone, records: [plain]) == nil)
        let alias = Self.record("b.example.", "d.example.", [.cname])
        #expect(AggressiveNSECCache.synthesize(qname: name("b.example."), qtype: .mx, zone: Self.zone, records: [alias]) == nil)
    }

    /// DS is the parent's; a delegation NSEC denies nothing below it (RFC 6840 §4.1);
    /// wildcard-expanded NSECs are not kept.
    @Test func dsDelegationsAndExpansionsAreLeftAlone() {
        let cut = Self.record("b.example.", "d.example.", [.ns])
        #expect(AggressiveNSECCache.synthesize(qname: name("b.example."), qtype: .ds, zone: Self.zone, records: [cut]) == nil)
        #expect(AggressiveNSECCache.synthesize(qname: name("x.b.example."), qtype: .a, zone: Self.zone, records: [Self.apex, cut]) == nil)
        var expanded = Self.record("q.w.example.", "x.example.", [.a])
        expanded.signatureLabels = 2
        #expect(AggressiveNSECCache.storable([expanded], zone: Self.zone).isEmpty)
    }
}

/// RFC 8198 §5.4, RFC 9077 §3: held NSEC records live min(NSEC TTL, SOA TTL, SOA MINIMUM).
/// A small hierarchy of its own: `long.test.` signs its NSEC for 3600 s with an SOA MINIMUM of
/// 60, `short.test.` its NSEC for 30 s with an SOA MINIMUM of 300; every zone on one server.
@Suite(.serialized) struct AggressiveNSECTTLTests {
    static let texts: [(origin: String, text: String, denialTTL: UInt32?)] = [
        ("long.test.", "@ SOA ns hostmaster 1 3600 600 86400 60\n@ NS ns\nns A 127.0.0.11\nwww A 192.0.2.1", 3600),
        ("short.test.", "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.11\nwww A 192.0.2.2", 30),
        ("test.", """
        @ SOA ns hostmaster 1 3600 600 86400 300
        @ NS ns
        ns A 127.0.0.11
        long NS ns.long
        ns.long A 127.0.0.11
        short NS ns.short
        ns.short A 127.0.0.11
        """, nil),
        (".", ". SOA ns.root. hostmaster.root. 1 3600 600 86400 300\n. NS ns.root.\nns.root. A 127.0.0.10\ntest. NS ns.test.\nns.test. A 127.0.0.11", nil),
    ]

    static func build() throws -> LabZones.Built {
        var zones: [String: Zone] = [:]
        var ds: [String: [ResourceRecord]] = [:]
        for (origin, text, denialTTL) in texts {
            let apex = try DomainName(parsing: origin)
            let parsed = ZoneFileParser(origin: apex, defaultTTL: 3600).parse(text: text)
            guard parsed.errors.isEmpty else { throw LabError("zone \(origin): \(parsed.errors)") }
            var records = parsed.records
            for (child, childDS) in ds where (try? DomainName(parsing: child))?.parent == apex { records += childDS }
            let key = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256, flags: DNSSECSigningKey.keySigningFlags)
            let options = ZoneSigningOptions(inception: UInt32(LabZones.now - 86_400), expiration: UInt32(LabZones.now + 30 * 86_400),
                                             denialTTL: denialTTL)
            let signed = try ZoneSigner(apex: apex, keys: [key], options: options).sign(records)
            ds[origin] = signed.ds
            zones[origin] = try Zone(origin: apex, records: signed.records)
        }
        return LabZones.Built(zones: zones, rootDS: ds["."] ?? [])
    }

    func check(zone: String, heldFor seconds: Int64) async throws {
        let built = try Self.build()
        try await Lab.runAllInOne(built: built) { lab, _ in
            let clock = ManualResolverClock(LabZones.now)
            let (resolver, exchange) = AggressiveNSECTests.resolver(lab, clock: clock)
            let first = try await resolver.resolve(name("nope.\(zone)"), .a)
            #expect(first.value.denial == .nxDomain && first.status == .secure, "\(first.reasons)")
            clock.advance(by: seconds - 1)
            var before = exchange.count
            let held = try await resolver.resolve(name("nopf.\(zone)"), .a)
            #expect(AggressiveNSECTests.synthesised(held) && held.status == .secure)
            #expect(held.value.negativeTTL == 1)
            #expect(exchange.count == before)
            clock.advance(by: 2)
            before = exchange.count
            let gone = try await resolver.resolve(name("nopg.\(zone)"), .a)
            #expect(gone.value.denial == .nxDomain && gone.status == .secure)
            #expect(!AggressiveNSECTests.synthesised(gone))
            #expect(exchange.questions.dropFirst(before).contains { $0.name == name("nopg.\(zone)") })
        }
    }

    @Test func soaMinimumCapsALongNSECTTL() async throws {
        try await check(zone: "long.test.", heldFor: 60)
    }

    @Test func aShortNSECTTLIsKept() async throws {
        try await check(zone: "short.test.", heldFor: 30)
    }
}
