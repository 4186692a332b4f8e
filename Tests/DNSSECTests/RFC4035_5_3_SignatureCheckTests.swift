import DNSCore
import Testing
@testable import DNSSEC

/// RFC 4035 §5.3.1 checks and the KeyTrap budget, one test per branch of
/// `RRSetVerifier.verify` (DNSSEC-CASES #5, #8–#11, #13–#15).
@Suite struct RFC4035_5_3_1_SignatureCheckTests {
    static let zone: DomainName = "example."
    static let inception: UInt32 = 1_704_067_200  // 2024-01-01T00:00:00Z
    static let expiration: UInt32 = inception + 30 * 86_400
    static let now = Int64(inception) + 86_400
    static let p256 = try! DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256)
    static let rsa = try! DNSSECSigningKey.generate(algorithm: .rsaSHA256, rsaBits: 2048)

    let rrset = RRSet(owner: "www.example.", type: .a, ttl: 300, rdatas: [RData(A(IPv4Address(192, 0, 2, 1)))])

    /// An RRSIG over `set` by `key`, with fields overridable to break one rule at a time.
    static func sign(_ set: RRSet, key: DNSSECSigningKey, labels: UInt8? = nil, signer: DomainName = zone,
                     inception: UInt32 = inception, expiration: UInt32 = expiration, signedOwner: DomainName? = nil) throws -> RRSIG {
        var rrsig = RRSIG(typeCovered: set.type, algorithm: key.algorithm, labels: labels ?? UInt8(set.owner.rrsigLabelCount),
                          originalTTL: set.ttl, expiration: expiration, inception: inception, keyTag: key.keyTag,
                          signerName: signer, signature: [])
        rrsig.signature = try key.sign(rrsig.signedFieldsWire + set.canonicalWire(ttl: set.ttl, owner: signedOwner))
        return rrsig
    }

    func verify(_ set: RRSet, _ rrsigs: [RRSIG], keys: [DNSKEY], zone: DomainName = zone, now: Int64 = now,
                budget: ValidationBudget = .default) -> (RRSetVerification, ValidationWork) {
        var work = ValidationWork(budget: budget)
        let result = RRSetVerifier(now: now).verify(set, signatures: rrsigs, keys: ZoneKeySet(zone: zone, keys: keys), work: &work)
        return (result, work)
    }

    @Test func validSignatureIsSecure() throws {
        let (result, work) = verify(rrset, [try Self.sign(rrset, key: Self.p256)], keys: [Self.p256.dnskey])
        #expect(result.status == .secure)
        #expect(work.signatureVerifications == 1)
    }

    @Test func noRRSIGIsBogusWithEDE10() {
        let (result, _) = verify(rrset, [], keys: [Self.p256.dnskey])
        #expect(result.status == .bogus)
        #expect(result.reasons.map(\.extendedError) == [.rrsigsMissing])
    }

    /// #8: inception after expiration, EDE 25.
    @Test func inceptionAfterExpirationIsBogus() throws {
        let rrsig = try Self.sign(rrset, key: Self.p256, inception: Self.expiration, expiration: Self.inception)
        let (result, _) = verify(rrset, [rrsig], keys: [Self.p256.dnskey])
        #expect(result.reasons.map(\.extendedError) == [.signatureExpiredBeforeValid])
    }

    /// #9: times are serial numbers (RFC 4034 §3.1.5): a window across 2^32 (the year 2106)
    /// and one across 2^31 both hold at a moment inside them.
    @Test(arguments: [
        (UInt32(0xFFFF_0000), UInt32(0x0001_0000), Int64(1) << 32 + 10),
        (UInt32(0x7FFF_FF00), UInt32(0x8000_0100), Int64(1) << 31),
    ])
    func serialArithmeticAcrossWraps(_ inception: UInt32, _ expiration: UInt32, _ now: Int64) throws {
        let rrsig = try Self.sign(rrset, key: Self.p256, inception: inception, expiration: expiration)
        #expect(verify(rrset, [rrsig], keys: [Self.p256.dnskey], now: now).0.status == .secure)
        #expect(verify(rrset, [rrsig], keys: [Self.p256.dnskey], now: now + 0x2_0000).0.reasons.map(\.code) == [.signatureExpired])
    }

    @Test func windowCheckEdges() {
        let window = ValidityWindowCheck()
        #expect(window.check(inception: 100, expiration: 200, now: 100) == .valid)
        #expect(window.check(inception: 100, expiration: 200, now: 200) == .valid)
        #expect(window.check(inception: 100, expiration: 200, now: 99) == .notYetValid)
        #expect(window.check(inception: 100, expiration: 200, now: 201) == .expired)
        #expect(ValidityWindowCheck(skew: 5).check(inception: 100, expiration: 200, now: 204) == .valid)
    }

    /// #10: the signer must be the zone of the keys, and contain the owner.
    @Test func wrongSignerNameIsBogus() throws {
        let other = try Self.sign(rrset, key: Self.p256, signer: "other.")
        #expect(verify(rrset, [other], keys: [Self.p256.dnskey]).0.reasons.map(\.code) == [.signerNotApex])
        let outside = RRSet(owner: "www.elsewhere.", type: .a, ttl: 300, rdatas: rrset.rdatas)
        let parentSigned = try Self.sign(outside, key: Self.p256)
        #expect(verify(outside, [parentSigned], keys: [Self.p256.dnskey]).0.reasons.map(\.code) == [.signerNotApex])
    }

    /// #11: Labels above the owner's count, or below the signer's, are bogus (the
    /// CVE-2026-52688 class: a small Labels would let one wildcard signature cover anything).
    @Test func labelsOutOfRangeAreBogus() throws {
        let tooMany = try Self.sign(rrset, key: Self.p256, labels: 3)
        #expect(verify(rrset, [tooMany], keys: [Self.p256.dnskey]).0.reasons.map(\.code) == [.labelsMismatch])
        let belowSigner = try Self.sign(rrset, key: Self.p256, labels: 0, signedOwner: "*.")
        #expect(verify(rrset, [belowSigner], keys: [Self.p256.dnskey]).0.reasons.map(\.code) == [.labelsMismatch])
    }

    /// RFC 4035 §5.3.2: a wildcard expansion verifies over `*.` + the rightmost Labels labels,
    /// and says which wildcard it was.
    @Test func wildcardExpansionVerifiesOverTheWildcardOwner() throws {
        let expanded = RRSet(owner: "a.b.example.", type: .a, ttl: 300, rdatas: rrset.rdatas)
        let rrsig = try Self.sign(expanded, key: Self.p256, labels: 1, signedOwner: "*.example.")
        let (result, _) = verify(expanded, [rrsig], keys: [Self.p256.dnskey])
        #expect(result.status == .secure)
        #expect(result.wildcardOwner == "*.example.")
        let unexpanded = try Self.sign(expanded, key: Self.p256, labels: 1)
        #expect(verify(expanded, [unexpanded], keys: [Self.p256.dnskey]).0.status == .bogus)
    }

    /// #13: a DNSKEY without the Zone Key flag must not verify (RFC 4034 §2.1.1, EDE 11); a
    /// revoked one neither (RFC 5011 §2.1).
    @Test func keyWithoutZoneFlagOrRevokedIsNotUsed() throws {
        let rrsig = try Self.sign(rrset, key: Self.p256)
        var noZoneFlag = Self.p256.dnskey
        noZoneFlag.flags = 0
        var noZoneRRSIG = rrsig
        noZoneRRSIG.keyTag = noZoneFlag.keyTag
        #expect(verify(rrset, [noZoneRRSIG], keys: [noZoneFlag]).0.reasons.map(\.extendedError) == [.noZoneKeyBitSet])
        var revoked = Self.p256.dnskey
        revoked.flags |= DNSKEY.revokeFlag
        var revokedRRSIG = rrsig
        revokedRRSIG.keyTag = revoked.keyTag
        #expect(verify(rrset, [revokedRRSIG], keys: [revoked]).0.reasons.map(\.code) == [.keyRevoked])
    }

    @Test func noKeyWithTheTagIsEDE9() throws {
        let rrsig = try Self.sign(rrset, key: Self.p256)
        let other = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256)
        #expect(verify(rrset, [rrsig], keys: [other.dnskey]).0.reasons.map(\.extendedError) == [.dnskeyMissing])
    }

    /// RSA keys whose key tag equals `key`'s: swapping two 16-bit words of the RDATA keeps the
    /// RFC 4034 App. B checksum, and changing the modulus makes a different (wrong) key.
    static func collidingKeys(_ key: DNSKEY, count: Int) -> [DNSKEY] {
        var keys = Set<DNSKEY>()
        // Word-aligned offsets in the RDATA are even; the public key starts at RDATA offset 4,
        // so even offsets of the key field are word-aligned too. Stay inside the modulus.
        let field = key.publicKey
        var i = 8
        outer: while i + 1 < field.count {
            var j = i + 2
            while j + 1 < field.count {
                var copy = key
                copy.publicKey.swapAt(i, j)
                copy.publicKey.swapAt(i + 1, j + 1)
                if copy != key, copy.keyTag == key.keyTag { keys.insert(copy) }
                if keys.count == count { break outer }
                j += 2 * 37
            }
            i += 2
        }
        return Array(keys)
    }

    /// #14: two keys with one tag, the wrong one first: both are tried, the RRset is secure.
    @Test func keyTagCollisionTriesBothKeys() throws {
        let rrsig = try Self.sign(rrset, key: Self.rsa)
        let impostor = try #require(Self.collidingKeys(Self.rsa.dnskey, count: 1).first)
        let (result, work) = verify(rrset, [rrsig], keys: [impostor, Self.rsa.dnskey])
        #expect(result.status == .secure)
        #expect(work.signatureVerifications == 2)
        #expect(result.reasons.map(\.code) == [.signatureInvalid, .signatureVerified])
    }

    /// #15, KeyTrap (CVE-2023-50387): 100 keys sharing a tag × 100 RRSIGs. The work stops at
    /// the budget — at most 2 keys per tag, 8 RRSIGs per RRset, 4 failures — and the RRset is
    /// bogus with EDE 6, after a handful of public-key operations instead of 10,000.
    @Test func keyTrapIsBoundedByTheBudget() throws {
        let keys = Self.collidingKeys(Self.rsa.dnskey, count: 100)
        #expect(keys.count == 100)
        var rrsig = try Self.sign(rrset, key: Self.rsa)
        rrsig.signature[0] ^= 0xFF
        let rrsigs = (0..<100).map { index -> RRSIG in
            var copy = rrsig
            copy.signature[1] = UInt8(index)
            return copy
        }
        let (result, work) = verify(rrset, rrsigs, keys: keys)
        #expect(result.status == .bogus)
        #expect(work.signatureVerifications <= ValidationBudget.default.maxSignatureFailures)
        #expect(result.reasons.contains { $0.code == .budgetExhausted && $0.extendedError == .dnssecBogus })
    }

    /// #5: RSA keys outside 1,024–4,096 bits and odd exponents are unsupported, malformed key
    /// fields are errors — never a crash.
    @Test func rsaKeyEdgeCases() {
        func key(_ field: [UInt8]) -> DNSKEY { DNSKEY(flags: 256, protocol: 3, algorithm: .rsaSHA256, publicKey: field) }
        let big = [UInt8](repeating: 0xFF, count: 513)  // 4,104 bits
        guard case .failure(.unsupportedKeySize(4104)) = DNSSECPublicKey.make(key([3, 1, 0, 1] + big)) else {
            Issue.record("a 4,104-bit key was accepted")
            return
        }
        let modulus = [UInt8](repeating: 0xC3, count: 256)
        // RFC 3110 §2 long form: a zero octet, then a two-octet exponent length.
        if case .failure(let problem) = DNSSECPublicKey.make(key([0, 0, 3, 1, 0, 1] + modulus)) {
            Issue.record("long-form exponent length refused: \(problem)")
        }
        guard case .failure(.unsupportedKeySize) = DNSSECPublicKey.make(key([1, 1] + modulus)) else {
            Issue.record("exponent 1 accepted")
            return
        }
        // BoringSSL takes exponents of up to 33 bits; past that the key is unsupported.
        if case .failure(let problem) = DNSSECPublicKey.make(key([5, 1, 0, 0, 0, 1] + modulus)) {
            Issue.record("a 33-bit exponent refused: \(problem)")
        }
        guard case .failure(.unsupportedKeySize) = DNSSECPublicKey.make(key([6, 1, 0, 0, 0, 0, 1] + modulus)) else {
            Issue.record("a 41-bit exponent accepted")
            return
        }
        for field: [UInt8] in [[], [0], [0, 0], [3, 1, 0, 1], [200] + modulus.prefix(10)] {
            guard case .failure(.malformed) = DNSSECPublicKey.make(key(field)) else {
                Issue.record("malformed key field \(field.prefix(8)) accepted")
                continue
            }
        }
    }
}
