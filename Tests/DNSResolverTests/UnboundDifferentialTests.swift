import DNSCore
import DNSResolver
import DNSServer
import DNSSEC
import DNSTransport
import Foundation
import PeerTestSupport
import Testing

/// The same questions through Unbound and through our resolver, on the lab signed around
/// the real time and served by one server (Unbound's stub zone for "."), with the same
/// root DS as trust anchor. Unbound's judgement: AD → secure, SERVFAIL → bogus (or
/// indeterminate), no AD → insecure.
@Suite(.serialized, .enabled(if: ExternalTool.available("unbound"), "unbound (Debian's unbound) is not installed"))
struct UnboundDifferentialTests {
    static let questions: [(String, RRType)] = [
        ("www.secure.test.", .a), ("www.unsigned.test.", .a), ("www.child.optout.test.", .a), ("www.expired.test.", .a),
        ("www.badds.test.", .a), ("nope.secure.test.", .a), ("www.secure.test.", .aaaa), ("nope.nsec3.test.", .a),
        ("www.nsec3.test.", .txt), ("host.wild.secure.test.", .a), ("host.wild.nsec3.test.", .a), ("chain.secure.test.", .a),
        ("big.secure.test.", .txt), ("www.garbage.test.", .a), ("www.moved.secure.test.", .a),
    ]

    /// Where the judgements differ on purpose. RFC 6672 §2.2 YXDOMAIN: Unbound does not
    /// validate an answer whose RCODE is neither NOERROR nor NXDOMAIN and passes it on
    /// without AD; we verify the DNAME that caused it and call it secure.
    static let knownDifferences: [(String, RRType, ours: Judgement, unbound: Judgement)] = [
        (String(repeating: "q", count: 60) + ".long.secure.test.", .a, .secure, .insecure),
    ]

    enum Judgement: String, Sendable { case secure, insecure, failed }

    static func judgement(_ status: SecurityStatus) -> Judgement {
        switch status {
        case .secure: .secure
        case .insecure: .insecure
        case .bogus, .indeterminate: .failed
        }
    }

    static func unboundJudgement(_ text: String, _ type: RRType, port: UInt16) throws -> Judgement? {
        let query = Message.query(id: 0x2121, name: name(text), type: type, recursionDesired: true, dnssec: true)
        guard let reply = try LoopbackSocket.exchangeUDP(query.wire, port: port, timeout: 10) else { return nil }
        let response = try Message(wire: reply)
        if response.header.rcode == .servFail { return .failed }
        return response.header.authenticData ? .secure : .insecure
    }

    static func rootDSText(_ built: LabZones.Built) -> String {
        built.rootDS.map(\.presentation).joined(separator: "\n") + "\n"
    }

    @Test func iterativeModeAgreesWithUnbound() async throws {
        let built = try LabZones.builtForPeers.get()
        try await Lab.runAllInOne(built: built) { lab, port in
            let unbound = try UnboundResolver.start(zone: ".", otherStubZones: Array(built.zones.keys).filter { $0 != "." }, authorityPort: UInt16(port), trustAnchor: Self.rootDSText(built))
            defer { unbound.stop() }
            let configuration = ResolverConfiguration(mode: .iterative(lab.rootHints), trustAnchors: lab.anchors,
                                                      exchange: DNSExchangeOptions(attemptTimeout: .seconds(2), retries: 2),
                                                      maxLookupDuration: Lab.peerLookupDuration)
            let resolver = Resolver(configuration: configuration, exchange: NIODNSExchange(addressMap: lab.addressMap))
            for (text, type) in Self.questions {
                let ours = Self.judgement(try await resolver.resolve(name(text), type).status)
                let theirs = try Self.unboundJudgement(text, type, port: unbound.port)
                #expect(ours == theirs, "\(text) \(type): daneprobe \(ours), Unbound \(theirs.map(\.rawValue) ?? "no answer")")
            }
            for (text, type, expectedOurs, expectedTheirs) in Self.knownDifferences {
                let result = try await resolver.resolve(name(text), type)
                #expect(result.value.rcode == .yxDomain)
                #expect(Self.judgement(result.status) == expectedOurs)
                #expect(try Self.unboundJudgement(text, type, port: unbound.port) == expectedTheirs)
            }
        }
    }

    /// Stub mode with Unbound as the upstream (asked with DO and CD): the same judgements,
    /// validated here.
    @Test func stubModeThroughUnboundAgrees() async throws {
        let built = try LabZones.builtForPeers.get()
        try await Lab.runAllInOne(built: built) { lab, port in
            let unbound = try UnboundResolver.start(zone: ".", otherStubZones: Array(built.zones.keys).filter { $0 != "." }, authorityPort: UInt16(port), trustAnchor: Self.rootDSText(built))
            defer { unbound.stop() }
            let configuration = ResolverConfiguration(mode: .stub(DNSServerAddress(host: "127.0.0.1", port: Int(unbound.port))),
                                                      trustAnchors: lab.anchors,
                                                      exchange: DNSExchangeOptions(attemptTimeout: .seconds(2), retries: 2),
                                                      maxLookupDuration: Lab.peerLookupDuration)
            let resolver = Resolver(configuration: configuration, exchange: NIODNSExchange())
            for (text, type) in Self.questions {
                let ours = Self.judgement(try await resolver.resolve(name(text), type).status)
                let theirs = try Self.unboundJudgement(text, type, port: unbound.port)
                #expect(ours == theirs, "\(text) \(type): daneprobe stub \(ours), Unbound \(theirs.map(\.rawValue) ?? "no answer")")
            }
        }
    }
}

/// Stub mode against an upstream (our server standing in for a recursive resolver) and, for
/// case 30, one that strips RRSIGs: bogus or indeterminate, never insecure.
@Suite(.serialized) struct StubModeTests {
    /// A stub resolver for the all-in-one lab server on `port`, at the lab's reference time.
    func stub(_ lab: Lab, port: Int, anchors: TrustAnchorSet? = nil, exchange: any DNSExchange = NIODNSExchange(),
              timeout: Duration = .seconds(1)) -> Resolver {
        let configuration = ResolverConfiguration(mode: .stub(DNSServerAddress(host: "127.0.0.1", port: port)), trustAnchors: anchors ?? lab.anchors,
                                                  exchange: DNSExchangeOptions(attemptTimeout: timeout, retries: 0))
        return Resolver(configuration: configuration, exchange: exchange, clock: ManualResolverClock(LabZones.now))
    }

    /// An answer without signatures names its zone; that zone's DNSKEY RRset is fetched only
    /// once its DS shows it signed (`Resolver.keys(for:expectSigned:)`): unsigned.test. costs
    /// its DS query and no DNSKEY query, while a signed answer's zone gets both at once.
    @Test func anUnsignedZoneIsNotAskedForItsKeys() async throws {
        try await Lab.runAllInOne(built: try LabZones.built.get()) { lab, port in
            let exchange = CountingExchange(addressMap: .identity)
            let resolver = stub(lab, port: port, exchange: exchange, timeout: .seconds(1))
            let unsigned = try await resolver.resolve(name("www.unsigned.test."), .a)
            #expect(unsigned.status == .insecure)
            #expect(exchange.questions.contains(Question(name: name("unsigned.test."), type: .ds)))
            #expect(!exchange.questions.contains(Question(name: name("unsigned.test."), type: .dnskey)), "\(exchange.questions)")
            let secure = try await resolver.resolve(name("www.secure.test."), .a)
            #expect(secure.status == .secure)
            #expect(exchange.questions.contains(Question(name: name("secure.test."), type: .dnskey)))
        }
    }

    /// `test.` is one label below the anchor `.`, so the chain goes on from the root's keys
    /// without waiting to learn `test.`'s parent from its DS answer (`chainParent`): with
    /// that DS answer held back 300 ms by the server, the root's DNSKEY query is sent before
    /// it arrives, and the answer is still secure.
    @Test func theAnchorsKeysAreNotKeptWaitingForTheDSOfAZoneBelowIt() async throws {
        var plan = FaultPlan()
        plan.add([.delay(.milliseconds(300))], for: .query(name: name("test."), type: .ds))
        try await Lab.runAllInOne(built: try LabZones.built.get(), faults: plan) { lab, port in
            let exchange = EventRecordingExchange(addressMap: .identity)
            let resolver = stub(lab, port: port, exchange: exchange, timeout: .seconds(2))
            let answer = try await resolver.resolve(name("test."), .soa)
            #expect(answer.status == .secure, "\(answer.reasons)")
            let events = exchange.events
            let rootKeysAsked = try #require(events.firstIndex(of: .sent(Question(name: .root, type: .dnskey))), "\(events)")
            let dsAnswered = try #require(events.firstIndex(of: .answered(Question(name: name("test."), type: .ds))), "\(events)")
            #expect(rootKeysAsked < dsAnswered, "\(events)")
        }
    }

    /// `prefetchChain`: the root's DNSKEY RRset and `test.`'s DS and DNSKEY RRsets are asked
    /// for before the answer that would name them arrives (held back 300 ms by the server),
    /// and the answer is judged secure from them.
    @Test func theChainsTopIsFetchedBesideTheFirstQuery() async throws {
        var plan = FaultPlan()
        plan.add([.delay(.milliseconds(300))], for: .query(name: name("www.secure.test."), type: .a))
        try await Lab.runAllInOne(built: try LabZones.built.get(), faults: plan) { lab, port in
            let exchange = EventRecordingExchange(addressMap: .identity)
            let resolver = stub(lab, port: port, exchange: exchange, timeout: .seconds(2))
            resolver.prefetchChain(for: name("www.secure.test."))
            let answer = try await resolver.resolve(name("www.secure.test."), .a)
            #expect(answer.status == .secure, "\(answer.reasons)")
            let events = exchange.events
            let answered = try #require(events.firstIndex(of: .answered(Question(name: name("www.secure.test."), type: .a))), "\(events)")
            for question in [Question(name: .root, type: .dnskey), Question(name: name("test."), type: .ds), Question(name: name("test."), type: .dnskey)] {
                let sent = try #require(events.firstIndex(of: .sent(question)), "\(question) never asked: \(events)")
                #expect(sent < answered, "\(question): \(events)")
            }
        }
    }

    /// A wrong guess of `prefetchChain` — `ns.test.`, one label below the anchor `test.`, is a
    /// host in that zone, not a zone — leaves nothing insecure: its DS denial (NS clear) is
    /// no proof of an unsigned delegation (RFC 6840 §4.4), so answers for it and below it
    /// stripped of their signatures are still bogus, and the signed one still secure.
    @Test func aWrongGuessOfTheChainsTopMakesNothingInsecure() async throws {
        var plan = FaultPlan()
        plan.add([.stripSignatures], for: .query(name: name("ns.test."), type: .a))
        plan.add([.stripSignatures], for: .query(name: name("x.ns.test."), type: .a))
        let built = try LabZones.built.get()
        let testZone = try #require(built.zones["test."])
        let testKeys = try #require(testZone.rrset(name("test."), .dnskey))
        try await Lab.runAllInOne(built: built, faults: plan) { lab, port in
            let exchange = EventRecordingExchange(addressMap: .identity)
            let resolver = stub(lab, port: port, anchors: TrustAnchorSet(records: testKeys), exchange: exchange, timeout: .seconds(2))
            await resolver.prefetchChain(for: name("x.ns.test.")).value
            #expect(exchange.events.contains(.sent(Question(name: name("ns.test."), type: .ds))), "\(exchange.events)")
            for text in ["ns.test.", "x.ns.test."] {
                let stripped = try await resolver.resolve(name(text), .a)
                #expect(stripped.status == .bogus, "\(text): \(stripped.status) \(stripped.reasons)")
            }
            let signed = try await resolver.resolve(name("ns.secure.test."), .a)
            #expect(signed.status == .secure, "\(signed.reasons)")
        }
    }

    @Test func stubJudgements() async throws {
        try await Lab.runAllInOne(built: try LabZones.built.get()) { lab, port in
            let resolver = stub(lab, port: port)
            let expected: [(String, RRType, SecurityStatus)] = [
                ("www.secure.test.", .a, .secure), ("www.unsigned.test.", .a, .insecure), ("www.badds.test.", .a, .bogus),
                ("nope.nsec3.test.", .a, .secure), ("chain.secure.test.", .a, .insecure), ("www.child.optout.test.", .a, .insecure),
            ]
            for (text, type, status) in expected {
                let result = try await resolver.resolve(name(text), type)
                #expect(result.status == status, "\(text) \(type): \(result.status) \(result.reasons)")
            }
        }
    }

    @Test func upstreamStrippingSignaturesIsNeverInsecure() async throws {
        var plan = FaultPlan()
        plan.add([.stripSignatures], for: .zone(name("secure.test.")))
        try await Lab.runAllInOne(built: try LabZones.built.get(), faults: plan) { lab, port in
            let result = try await stub(lab, port: port).resolve(name("www.secure.test."), .a)
            #expect(result.status == .bogus || result.status == .indeterminate)
        }
    }
}
