import DNSCore
import Testing
@testable import DNSSEC

/// Sign → verify: every algorithm with NSEC, NSEC3 and NSEC3 opt-out; what is signed and what
/// is not (RFC 4035 §2.2); the chains' shape (RFC 4035 §2.3, RFC 5155 §7.1).
@Suite struct ZoneSignerRoundTripTests {
    static let cases: [(DNSSECAlgorithm, Int)] = AlgorithmPolicy.signingAlgorithms.flatMap { algorithm in
        TestZones.denials.indices.map { (algorithm, $0) }
    }

    @Test(arguments: cases)
    func signedZoneVerifies(_ algorithm: DNSSECAlgorithm, _ denialIndex: Int) throws {
        let keys = try #require(TestZones.keyPairs[algorithm])
        let zone = try TestZones.signed(TestZones.denials[denialIndex], keys: keys)
        #expect(TestZones.problems(zone.records) == [])
        #expect(zone.signatureCount > 0)
    }

    @Test(arguments: AlgorithmPolicy.signingAlgorithms)
    func singleSEPKeySignsEverything(_ algorithm: DNSSECAlgorithm) throws {
        let ksk = try #require(TestZones.keyPairs[algorithm]?.first)
        let zone = try TestZones.signed(.nsec, keys: [ksk])
        #expect(TestZones.problems(zone.records) == [])
        #expect(zone.records.compactMap { $0.rdata.as(RRSIG.self) }.allSatisfy { $0.keyTag == ksk.keyTag })
        #expect(zone.ds.count == 1)
    }

    /// Two algorithms: each RRset carries a signature of each (RFC 4035 §2.2).
    @Test func everyAlgorithmSignsEveryRRset() throws {
        let keys = try #require(TestZones.keyPairs[.ecdsaP256SHA256]) + (try #require(TestZones.keyPairs[.ed25519]))
        let zone = try TestZones.signed(.nsec3(.init()), keys: keys)
        #expect(TestZones.problems(zone.records) == [])
        let signed = Dictionary(grouping: zone.records.compactMap { record in record.rdata.as(RRSIG.self).map { (record.owner, $0) } },
                                by: { "\($0.0) \($0.1.typeCovered)" })
        for (set, rrsigs) in signed {
            #expect(Set(rrsigs.map(\.1.algorithm)) == [.ecdsaP256SHA256, .ed25519], "\(set)")
        }
    }
}

@Suite struct ZoneSignerRulesTests {
    let keys = TestZones.keyPairs[.ecdsaP256SHA256]!
    var ksk: DNSSECSigningKey { keys[0] }
    var zsk: DNSSECSigningKey { keys[1] }

    func rrsigs(_ zone: SignedZone, at owner: DomainName) -> [RRSIG] {
        zone.records.filter { $0.owner == owner }.compactMap { $0.rdata.as(RRSIG.self) }
    }

    func nsec(_ zone: SignedZone, at owner: DomainName) -> NSEC? {
        zone.records.first { $0.owner == owner && $0.type == .nsec }?.rdata.as(NSEC.self)
    }

    /// RFC 4035 §2.2: not the delegation NS RRset nor glue; the DS and NSEC at a cut are.
    @Test func RFC4035_2_2_delegationsAndGlue() throws {
        let zone = try TestZones.signed(.nsec, keys: keys)
        #expect(Set(rrsigs(zone, at: "secure.example.").map(\.typeCovered)) == [.ds, .nsec])
        #expect(Set(rrsigs(zone, at: "insecure.example.").map(\.typeCovered)) == [.nsec])
        #expect(rrsigs(zone, at: "ns.secure.example.").isEmpty)
        #expect(rrsigs(zone, at: "ns.insecure.example.").isEmpty)
        // Glue stays in the zone, unsigned and without NSEC.
        #expect(zone.records.contains { $0.owner == "ns.secure.example." && $0.type == .a })
        #expect(nsec(zone, at: "ns.secure.example.") == nil)
    }

    /// KSK signs the DNSKEY RRset, ZSK the rest (RFC 6781 §3.1 roles).
    @Test func keyRoles() throws {
        let zone = try TestZones.signed(.nsec, keys: keys)
        for record in zone.records {
            guard let rrsig = record.rdata.as(RRSIG.self) else { continue }
            #expect(rrsig.keyTag == (rrsig.typeCovered == .dnskey ? ksk.keyTag : zsk.keyTag), "\(record)")
            #expect(rrsig.signerName == TestZones.apex)
            #expect(rrsig.inception == TestZones.inception && rrsig.expiration == TestZones.expiration)
        }
        let dnskeys = zone.records.filter { $0.type == .dnskey }.compactMap { $0.rdata.as(DNSKEY.self) }
        #expect(Set(dnskeys) == [ksk.dnskey, zsk.dnskey])
        #expect(zone.ds.compactMap { $0.rdata.as(DS.self) } == [DSDigest.ds(for: ksk.dnskey, owner: TestZones.apex)!])
    }

    /// RFC 4034 §3.1.3: Labels leaves out the wildcard's `*`; Original TTL is the set's TTL.
    @Test func RFC4034_3_1_3_wildcardLabels() throws {
        let zone = try TestZones.signed(.nsec, keys: keys)
        let wildcard = try #require(rrsigs(zone, at: "*.wild.example.").first { $0.typeCovered == .txt })
        #expect(wildcard.labels == 2)
        #expect(wildcard.originalTTL == 3600)
    }

    /// RFC 4035 §2.3 and RFC 4034 §6.1: canonical order, last points at the apex, bitmaps with
    /// NSEC and RRSIG, at a delegation only NS/DS; no NSEC at empty non-terminals or glue.
    @Test func RFC4035_2_3_nsecChain() throws {
        let zone = try TestZones.signed(.nsec, keys: keys)
        let owners = zone.records.filter { $0.type == .nsec }.map(\.owner)
        #expect(owners == ["example.", "a.b.c.deep.example.", "insecure.example.", "sub.only.insecure-ents.example.", "mail.example.",
                           "ns1.example.", "ns2.example.", "secure.example.", "*.wild.example.", "www.example."] as [DomainName])
        #expect(nsec(zone, at: "www.example.")?.nextDomainName == "example.")
        #expect(nsec(zone, at: "example.")?.types == [.soa, .ns, .mx, .dnskey, .nsec, .rrsig])
        #expect(nsec(zone, at: "secure.example.")?.types == [.ns, .ds, .nsec, .rrsig])
        #expect(nsec(zone, at: "insecure.example.")?.types == [.ns, .nsec, .rrsig])
        #expect(nsec(zone, at: "mail.example.")?.types == [.a, .txt, .nsec, .rrsig])
        // RFC 9077: min(SOA MINIMUM 300, SOA TTL 3600).
        #expect(zone.records.filter { $0.type == .nsec }.allSatisfy { $0.ttl == 300 })
    }

    /// RFC 5155 §7.1: NSEC3 for names, delegations and empty non-terminals; Opt-Out leaves out
    /// insecure delegations and the empty non-terminals only they need.
    @Test(arguments: [false, true])
    func RFC5155_7_1_nsec3Chain(_ optOut: Bool) throws {
        let parameters = ZoneSigningOptions.NSEC3Parameters(salt: [0xAA, 0xBB], iterations: 2, optOut: optOut)
        let zone = try TestZones.signed(.nsec3(parameters), keys: keys)
        let hasher = NSEC3Hasher(salt: [0xAA, 0xBB], iterations: 2)
        var byOwner: [DomainName: NSEC3] = [:]
        for record in zone.records { if let nsec3 = record.rdata.as(NSEC3.self) { byOwner[record.owner] = nsec3 } }
        func types(of name: DomainName) throws -> TypeBitmap? {
            byOwner[try hasher.hashedOwner(name, zone: TestZones.apex)]?.types
        }
        #expect(try types(of: "example.") == [.soa, .ns, .mx, .dnskey, .rrsig, .nsec3param])
        #expect(try types(of: "secure.example.") == [.ns, .ds, .rrsig])
        #expect(try types(of: "wild.example.") == [])
        #expect(try types(of: "deep.example.") == [])
        #expect(try types(of: "c.deep.example.") == [])
        #expect(try types(of: "b.c.deep.example.") == [])
        #expect(try types(of: "ns.secure.example.") == nil)
        #expect(try types(of: "insecure.example.") == (optOut ? nil : [.ns]))
        #expect(try types(of: "insecure-ents.example.") == (optOut ? nil : []))
        #expect(try types(of: "only.insecure-ents.example.") == (optOut ? nil : []))
        #expect(byOwner.values.allSatisfy { $0.isOptOut == optOut && $0.iterations == 2 && $0.salt == [0xAA, 0xBB] })
        #expect(byOwner.count == (optOut ? 12 : 16))
        let param = zone.records.first { $0.type == .nsec3param }?.rdata.as(NSEC3PARAM.self)
        #expect(param == NSEC3PARAM(iterations: 2, salt: [0xAA, 0xBB]))
        #expect(!zone.records.contains { $0.type == .nsec })
        #expect(TestZones.problems(zone.records) == [])
    }

    /// Existing RRSIG/NSEC/NSEC3/NSEC3PARAM are replaced, so re-signing a signed zone (here:
    /// NSEC3 into NSEC) gives a clean zone.
    @Test func resigningReplacesDNSSECRecords() throws {
        let first = try TestZones.signed(.nsec3(.init(salt: [1], iterations: 1, optOut: true)), keys: keys)
        let second = try TestZones.signed(.nsec, keys: [ksk], records: first.records)
        #expect(!second.records.contains { $0.type == .nsec3 || $0.type == .nsec3param })
        #expect(second.records.compactMap { $0.rdata.as(RRSIG.self) }.allSatisfy { $0.keyTag == ksk.keyTag })
        // The old ZSK's DNSKEY stays published (only keys are added, never removed).
        #expect(second.records.filter { $0.type == .dnskey }.count == 2)
        #expect(TestZones.problems(second.records) == [])
    }

    /// Duplicate records appear once, as they are signed.
    @Test func duplicatesAreRemoved() throws {
        let zone = try TestZones.signed(.nsec, keys: keys)
        #expect(zone.records.filter { $0.owner == "mail.example." && $0.type == .a }.count == 1)
    }

    /// Jitter: amounts within the bound, the same for the same seed, different for another.
    @Test func jitterIsDeterministic() throws {
        func expirations(seed: UInt64) throws -> [UInt32] {
            var options = TestZones.options(.nsec)
            options.jitter = 3600
            options.jitterSeed = seed
            let zone = try ZoneSigner(apex: TestZones.apex, keys: [ksk], options: options).sign(TestZones.records())
            return zone.records.compactMap { $0.rdata.as(RRSIG.self)?.expiration }
        }
        let a = try expirations(seed: 7), b = try expirations(seed: 7), c = try expirations(seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.allSatisfy { $0 <= TestZones.expiration && $0 >= TestZones.expiration - 3600 })
        #expect(Set(a).count > 1)
    }

    /// The smallest zone (one name: each chain is one record pointing at itself) and the
    /// root zone sign and verify.
    @Test(arguments: TestZones.denials.indices)
    func smallestAndRootZones(_ denialIndex: Int) throws {
        let denial = TestZones.denials[denialIndex]
        let options = TestZones.options(denial)
        let tiny = TestZones.records("@ 60 SOA ns hm 1 2 3 4 5\n")
        let tinyZone = try ZoneSigner(apex: TestZones.apex, keys: [ksk], options: options).sign(tiny)
        #expect(TestZones.problems(tinyZone.records) == [])
        #expect(tinyZone.denialRecordCount == 1)

        let root = TestZones.records(". 86400 SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n. 518400 NS a.root-servers.net.\n"
            + "example. 172800 NS a.iana-servers.net.\nexample. 86400 DS 1 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
            + "a.root-servers.net. 518400 A 198.41.0.4\n", origin: .root)
        let rootZone = try ZoneSigner(apex: .root, keys: keys, options: options).sign(root)
        #expect(TestZones.problems(rootZone.records, apex: .root) == [])
    }

    /// Signing on several threads gives the same zone (Ed25519 is deterministic, so byte for
    /// byte).
    @Test func concurrencyDoesNotChangeTheOutput() throws {
        let keys = try #require(TestZones.keyPairs[.ed25519])
        let options = TestZones.options(.nsec3(.init()))
        let one = try ZoneSigner(apex: TestZones.apex, keys: keys, options: options, concurrency: 1).sign(TestZones.records())
        let four = try ZoneSigner(apex: TestZones.apex, keys: keys, options: options, concurrency: 4).sign(TestZones.records())
        #expect(one.records == four.records)
        #expect(one.signatureCount == four.signatureCount)
    }

    @Test func errors() throws {
        func code(_ keys: [DNSSECSigningKey], _ options: ZoneSigningOptions = TestZones.options(.nsec),
                  _ records: [ResourceRecord] = TestZones.records()) -> ZoneSigningError.Code? {
            do { _ = try ZoneSigner(apex: TestZones.apex, keys: keys, options: options).sign(records); return nil } catch { return error.code }
        }
        #expect(code([]) == .noKeys)
        #expect(code([ksk, ksk]) == .keyTagCollision)
        #expect(code(keys, TestZones.options(.nsec), TestZones.records().filter { $0.type != .soa }) == .noSOA)
        #expect(code(keys, TestZones.options(.nsec), TestZones.records() + TestZones.records("x.test. 60 A 192.0.2.1", origin: "test.")) == .outOfZone)
        var inverted = TestZones.options(.nsec)
        inverted.expiration = inverted.inception
        #expect(code(keys, inverted) == .badValidity)
        var tooMuchJitter = TestZones.options(.nsec)
        tooMuchJitter.jitter = 31 * 86_400
        #expect(code(keys, tooMuchJitter) == .badValidity)
        #expect(code(keys, TestZones.options(.nsec3(.init(salt: [UInt8](repeating: 1, count: 256))))) == .badNSEC3Parameters)
    }
}
