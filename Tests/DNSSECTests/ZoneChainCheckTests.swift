import DNSCore
import Testing
@testable import DNSSEC

/// Broken NSEC and NSEC3 chains are found, each with its reason (RFC 4035 §2.3, RFC 5155 §7.1).
@Suite struct ZoneChainCheckTests {
    static let keys = [TestZones.keyPairs[.ed25519]![0]]
    static let nsecZone = try! TestZones.signed(.nsec, keys: keys).records
    static let nsec3Zone = try! TestZones.signed(.nsec3(.init(salt: [0x5A], iterations: 1)), keys: keys).records
    static let optOutZone = try! TestZones.signed(.nsec3(.init(optOut: true)), keys: keys).records

    func codes(_ records: [ResourceRecord]) -> [ValidationReason.Code] {
        ZoneChainCheck(apex: TestZones.apex).check(records).findings.map(\.reason.code)
    }

    func editing(_ records: [ResourceRecord], where match: (ResourceRecord) -> Bool, _ edit: (inout ResourceRecord) -> Void) -> [ResourceRecord] {
        var records = records
        let index = records.firstIndex(where: match)!
        edit(&records[index])
        return records
    }

    func nsec3Record(_ records: [ResourceRecord], for name: DomainName, salt: [UInt8] = [0x5A], iterations: UInt16 = 1) throws -> (ResourceRecord) -> Bool {
        let owner = try NSEC3Hasher(salt: salt, iterations: iterations).hashedOwner(name, zone: TestZones.apex)
        return { $0.owner == owner && $0.type == .nsec3 }
    }

    @Test func completeChainsHaveNoFindings() {
        for records in [Self.nsecZone, Self.nsec3Zone, Self.optOutZone] {
            let report = ZoneChainCheck(apex: TestZones.apex).check(records)
            #expect(report.isComplete, "\(report.findings)")
            #expect(report.recordCount > 0)
        }
        #expect(ZoneChainCheck(apex: TestZones.apex).check(Self.nsecZone).chain == .nsec)
        #expect(ZoneChainCheck(apex: TestZones.apex).check(Self.nsec3Zone).chain == .nsec3(NSEC3PARAM(iterations: 1, salt: [0x5A])))
    }

    @Test func unsignedZoneHasNoChain() {
        let report = ZoneChainCheck(apex: TestZones.apex).check(TestZones.records())
        #expect(report.chain == .none)
        #expect(report.findings.map(\.reason.code) == [.denialMissing])
    }

    // MARK: NSEC

    @Test func RFC4035_2_3_missingNSEC() {
        let records = Self.nsecZone.filter { !($0.owner == "mail.example." && $0.type == .nsec) }
        // Missing at mail, and its predecessor's next no longer the next name with an NSEC is
        // still right (names, not NSECs, make the order): one finding.
        #expect(codes(records) == [.denialMissing])
    }

    @Test func RFC4034_4_1_1_wrongNextName() {
        let records = editing(Self.nsecZone, where: { $0.owner == "mail.example." && $0.type == .nsec }) {
            $0.rdata = RData(NSEC(nextDomainName: "ns2.example.", types: $0.rdata.as(NSEC.self)!.types))
        }
        #expect(codes(records) == [.denialInvalid])
    }

    @Test func RFC4034_4_1_2_wrongBitmap() {
        let records = editing(Self.nsecZone, where: { $0.owner == "secure.example." && $0.type == .nsec }) {
            // A delegation's bitmap must not show the glue-side A, nor leave out DS.
            $0.rdata = RData(NSEC(nextDomainName: $0.rdata.as(NSEC.self)!.nextDomainName, types: [.ns, .a, .nsec, .rrsig]))
        }
        let findings = ZoneChainCheck(apex: TestZones.apex).check(records).findings
        #expect(findings.map(\.reason.code) == [.denialInvalid])
        #expect(findings.first?.reason.rule == "RFC 4034 §4.1.2")
    }

    @Test func nsecAtGlueIsReported() {
        let glue = ResourceRecord(owner: "ns.secure.example.", ttl: 300, NSEC(nextDomainName: "example.", types: [.a, .nsec]))
        #expect(codes(Self.nsecZone + [glue]) == [.denialInvalid])
    }

    // MARK: NSEC3

    @Test func RFC5155_7_1_missingNSEC3() throws {
        let records = Self.nsec3Zone.filter { (try? nsec3Record(Self.nsec3Zone, for: "www.example.")($0)) != true }
        // The name has no NSEC3, and the ring skips its hash: the predecessor's next is wrong.
        #expect(Set(codes(records)) == [.denialMissing, .denialInvalid])
        #expect(codes(records).count == 2, "\(ZoneChainCheck(apex: TestZones.apex).check(records).findings)")
    }

    @Test func RFC5155_7_1_missingEmptyNonTerminal() throws {
        let match = try nsec3Record(Self.nsec3Zone, for: "c.deep.example.")
        let findings = ZoneChainCheck(apex: TestZones.apex).check(Self.nsec3Zone.filter { !match($0) }).findings
        #expect(findings.contains { $0.owner == "c.deep.example." && $0.reason.code == .denialMissing })
    }

    @Test func RFC5155_7_1_brokenRing() throws {
        let records = editing(Self.nsec3Zone, where: try nsec3Record(Self.nsec3Zone, for: "mail.example.")) {
            var nsec3 = $0.rdata.as(NSEC3.self)!
            nsec3.nextHashedOwnerName[19] ^= 1
            $0.rdata = RData(nsec3)
        }
        let findings = ZoneChainCheck(apex: TestZones.apex).check(records).findings
        #expect(findings.map(\.reason.code) == [.denialInvalid])
        #expect(findings.first?.reason.detail.contains("next") == true)
    }

    @Test func RFC5155_7_1_wrongBitmap() throws {
        let records = editing(Self.nsec3Zone, where: try nsec3Record(Self.nsec3Zone, for: "deep.example.")) {
            var nsec3 = $0.rdata.as(NSEC3.self)!
            nsec3.types = [.a, .rrsig]
            $0.rdata = RData(nsec3)
        }
        #expect(codes(records) == [.denialInvalid])
    }

    @Test func RFC5155_7_1_parametersMustMatchNSEC3PARAM() throws {
        let records = editing(Self.nsec3Zone, where: try nsec3Record(Self.nsec3Zone, for: "ns1.example.")) {
            var nsec3 = $0.rdata.as(NSEC3.self)!
            nsec3.iterations = 2
            $0.rdata = RData(nsec3)
        }
        // The record is not part of the chain: a mismatch, a name without NSEC3, a broken link.
        #expect(Set(codes(records)) == [.denialInvalid, .denialMissing])
    }

    @Test func RFC5155_7_1_missingNSEC3PARAM() {
        let records = Self.nsec3Zone.filter { $0.type != .nsec3param }
        // Still checked as a chain, with the apex bitmap now listing an absent NSEC3PARAM.
        #expect(codes(records) == [.denialMissing, .denialInvalid])
    }

    @Test func RFC5155_6_optOutFlagNeededToSkipInsecureDelegations() {
        let records = Self.optOutZone.map { record -> ResourceRecord in
            guard var nsec3 = record.rdata.as(NSEC3.self) else { return record }
            nsec3.isOptOut = false
            var copy = record
            copy.rdata = RData(nsec3)
            return copy
        }
        let findings = ZoneChainCheck(apex: TestZones.apex).check(records).findings
        // insecure., and sub.only.insecure-ents. with its two empty non-terminals.
        #expect(findings.map(\.reason.code) == [.denialMissing, .denialMissing, .denialMissing, .denialMissing])
        #expect(findings.allSatisfy { $0.reason.rule == "RFC 5155 §6" })
    }

    @Test func strayAndMalformedNSEC3() throws {
        let stray = ResourceRecord(owner: try NSEC3Hasher.owner(forHash: [UInt8](repeating: 0, count: 20), zone: TestZones.apex),
                                   ttl: 300, NSEC3(flags: 0, iterations: 1, salt: [0x5A], nextHashedOwnerName: [UInt8](repeating: 0, count: 20), types: []))
        #expect(codes(Self.nsec3Zone + [stray]).contains(.denialInvalid))
        let malformed = ResourceRecord(owner: "not-a-hash.example.", ttl: 300,
                                       NSEC3(flags: 0, iterations: 1, salt: [0x5A], nextHashedOwnerName: [1], types: []))
        #expect(codes(Self.nsec3Zone + [malformed]).contains(.malformed))
    }
}

/// Signatures made by the signer are rejected once anything in them changes, and outside
/// their validity window (RFC 4035 §5.3.1, §5.3.3).
@Suite struct SignedZoneTamperingTests {
    static let zone = try! TestZones.signed(.nsec3(.init()), keys: TestZones.keyPairs[.ecdsaP256SHA256]!).records

    /// Every octet of every RRSIG's RDATA, flipped one at a time: the RRset it covers is no
    /// longer secure with it.
    @Test func anyOneByteChangeInAnyRRSIGIsRejected() throws {
        let keys = ZoneKeySet(zone: TestZones.apex, keys: Self.zone.compactMap { $0.rdata.as(DNSKEY.self) })
        let verifier = RRSetVerifier(now: TestZones.during)
        let sets = RRSet.group(Self.zone)
        var checked = 0
        for record in Self.zone {
            guard let rrsig = record.rdata.as(RRSIG.self) else { continue }
            let covered = try #require(sets.first { $0.owner == record.owner && $0.type == rrsig.typeCovered })
            var work = ValidationWork()
            #expect(verifier.verify(covered, signatures: [rrsig], keys: keys, work: &work).status == .secure)
            let wire = record.rdata.wire
            for position in wire.indices {
                var changed = wire
                changed[position] ^= 0x01
                var reader = WireReader(changed)
                guard let tampered = try? RRSIG(wire: &reader) else { continue }
                var work = ValidationWork()
                let result = verifier.verify(covered, signatures: [tampered], keys: keys, work: &work)
                #expect(result.status == .bogus, "\(record.owner) \(rrsig.typeCovered) octet \(position)")
                #expect(result.reasons.contains { $0.code != .signatureVerified })
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    @Test func signatureChangeGivesSignatureInvalid() throws {
        var records = Self.zone
        let index = try #require(records.firstIndex { $0.rdata.as(RRSIG.self)?.typeCovered == .mx })
        var rrsig = try #require(records[index].rdata.as(RRSIG.self))
        rrsig.signature[10] ^= 0x80
        records[index].rdata = RData(rrsig)
        let bad = ZoneSignatureCheck(apex: TestZones.apex, now: TestZones.during).check(records).filter { $0.verification.status != .secure }
        #expect(bad.map(\.type) == [.mx])
        #expect(bad.first?.verification.reasons.map(\.code) == [.signatureInvalid])
    }

    @Test func expiredAndNotYetValid() {
        for (now, code) in [(Int64(TestZones.expiration) + 1, ValidationReason.Code.signatureExpired),
                            (Int64(TestZones.inception) - 1, .signatureNotYetValid)] {
            let findings = ZoneSignatureCheck(apex: TestZones.apex, now: now).check(Self.zone)
            #expect(!findings.isEmpty)
            for finding in findings {
                #expect(finding.verification.status == .bogus)
                #expect(finding.verification.reasons.map(\.code).allSatisfy { $0 == code }, "\(finding.owner) \(finding.type)")
            }
        }
    }
}
