import DNSCore
import DNSZoneFile
import Foundation
import Testing
@testable import DNSSEC

enum Vectors {
    static func records(_ name: String) throws -> [ResourceRecord] {
        let url = try #require(Bundle.module.url(forResource: "Vectors/signatures/\(name)", withExtension: nil))
        let result = ZoneFileLoader.parse(file: url.path, origin: nil)
        #expect(result.errors.isEmpty, "\(result.errors)")
        return result.records
    }

    /// Seconds since the epoch for a UTC `YYYYMMDDHHmmSS`.
    static func time(_ text: String) -> Int64 { Int64(DNSSECTime.parse(Array(text.utf8))!) }

    static func dnskeys(_ records: [ResourceRecord], owner: DomainName) -> [DNSKEY] {
        records.filter { $0.owner == owner }.compactMap { $0.rdata.as(DNSKEY.self) }
    }
}

/// Signatures from the RFCs verify at a time inside their validity (RFC 4035 §5.3).
@Suite struct SignatureVectorTests {
    /// Case 1: RFC 6605 P-256 and P-384.
    @Test func RFC6605_6_ecdsa() throws {
        let records = try Vectors.records("rfc6605-ecdsa.zone")
        let findings = ZoneSignatureCheck(apex: "example.net.", now: Vectors.time("20100820000000")).check(records)
        let a = try #require(findings.first { $0.type == .a })
        #expect(a.verification.status == .secure)
    }

    /// Each RRSIG separately, against its own key: the file holds two "zones" of one key each.
    @Test(arguments: [
        ("rfc6605-ecdsa.zone", "example.net.", "20100820000000", [55648, 10771] as [UInt16]),
        ("rfc8080-eddsa.zone", "example.com.", "20150801000000", [3613, 35217]),
        ("rfc5702-rsasha2.zone", "example.net.", "20200101000000", [3740]),
    ])
    func everyRRSIGVerifiesWithItsKey(_ file: String, _ zone: String, _ at: String, _ tags: [UInt16]) throws {
        let records = try Vectors.records(file)
        let apex = try DomainName(parsing: zone)
        let keys = Vectors.dnskeys(records, owner: apex)
        for tag in tags {
            let key = try #require(keys.first { $0.keyTag == tag })
            let rrsigRecord = try #require(records.first { $0.rdata.as(RRSIG.self)?.keyTag == tag })
            let rrsig = try #require(rrsigRecord.rdata.as(RRSIG.self))
            let covered = records.filter { $0.owner == rrsigRecord.owner && $0.type == rrsig.typeCovered }
            let set = try #require(RRSet.group(covered).first)
            var work = ValidationWork()
            let result = RRSetVerifier(now: Vectors.time(at)).verify(set, signatures: [rrsig], keys: ZoneKeySet(zone: apex, keys: [key]), work: &work)
            #expect(result.status == .secure, "key \(tag): \(result.reasons)")
        }
    }

    /// Case 4: the RFC 5702 512-bit RSASHA256 key is below the 1,024-bit floor: unsupported.
    @Test func RFC5702_512BitKeyIsUnsupported() throws {
        let records = try Vectors.records("rfc5702-rsasha2.zone")
        let key = try #require(Vectors.dnskeys(records, owner: "example.net.").first { $0.keyTag == 9033 })
        guard case .failure(.unsupportedKeySize(512)) = DNSSECPublicKey.make(key) else {
            Issue.record("512-bit key accepted")
            return
        }
    }

    /// Case 3: Ed448 has no backend: unsupported, never bogus.
    @Test func RFC8080_ed448IsUnsupported() throws {
        let records = try Vectors.records("rfc8080-eddsa.zone")
        for key in Vectors.dnskeys(records, owner: "example.com.") where key.algorithm == .ed448 {
            guard case .failure(.unsupportedAlgorithm(.ed448)) = DNSSECPublicKey.make(key) else {
                Issue.record("Ed448 key \(key.keyTag) accepted")
                continue
            }
        }
    }

    /// Whole signed zones: every authoritative RRset verifies (alg 5 and 7, 1024-bit keys in
    /// RFC 4035 App. A; RFC 5155 App. A uses smaller keys, see the policy test).
    @Test func RFC4035_appendixA_wholeZoneVerifies() throws {
        let records = try Vectors.records("rfc4035-appendix-A.zone")
        let findings = ZoneSignatureCheck(apex: "example.", now: Vectors.time("20040420000000")).check(records)
        #expect(findings.count > 10)
        for finding in findings {
            #expect(finding.verification.status == .secure, "\(finding.owner) \(finding.type): \(finding.verification.reasons)")
        }
    }

    /// RFC 5155 App. A is signed with 512-bit RSA keys: under the 1,024-bit floor (and below
    /// what swift-crypto loads at all) every key is unsupported, so no RRset can verify and
    /// the reason says why (the chain evaluator turns "no usable key" into insecure).
    @Test func RFC5155_appendixA_keysAreBelowTheRSAFloor() throws {
        let records = try Vectors.records("rfc5155-appendix-A.zone")
        let keys = ZoneKeySet(zone: "example.", keys: Vectors.dnskeys(records, owner: "example."))
        #expect(!keys.hasUsableKey)
        let relaxed = AlgorithmPolicy(minimumRSABits: 256, maximumRSABits: 4096, allowSHA1: true)
        let findings = ZoneSignatureCheck(apex: "example.", now: Vectors.time("20100101000000"), policy: relaxed).check(records)
        #expect(findings.count > 10)
        for finding in findings {
            #expect(finding.verification.reasons.map(\.code).allSatisfy { $0 == .keySizeUnsupported }, "\(finding.verification.reasons)")
        }
    }

    /// RFC 4034 §3.1.8.1: one changed octet anywhere in the signed data fails.
    @Test func aChangedRecordFailsVerification() throws {
        let records = try Vectors.records("rfc8080-eddsa.zone")
        let keys = ZoneKeySet(zone: "example.com.", keys: Vectors.dnskeys(records, owner: "example.com."))
        let rrsigs = records.compactMap { $0.rdata.as(RRSIG.self) }.filter { $0.algorithm == .ed25519 }
        let forged = RRSet(owner: "example.com.", type: .mx, ttl: 3600, rdatas: [RData(MX(preference: 11, exchange: "mail.example.com."))])
        var work = ValidationWork()
        let result = RRSetVerifier(now: Vectors.time("20150801000000")).verify(forged, signatures: rrsigs, keys: keys, work: &work)
        #expect(result.status == .bogus)
        #expect(result.reasons.map(\.code) == [.signatureInvalid, .signatureInvalid])
    }
}

/// DS digests (RFC 4034 §5.1.4).
@Suite struct DSDigestTests {
    @Test(arguments: [
        ("rfc4034-examples.zone", "dskey.example.com."),
        ("rfc6605-ecdsa.zone", "example.net."),
        ("rfc8080-eddsa.zone", "example.com."),
        ("root-anchors.zone", "."),
    ])
    func publishedDSMatchesItsKey(_ file: String, _ owner: String) throws {
        let records = try Vectors.records(file)
        let name = try DomainName(parsing: owner)
        let keys = Vectors.dnskeys(records, owner: name)
        let dsSet = records.filter { $0.owner == name }.compactMap { $0.rdata.as(DS.self) }
        #expect(!dsSet.isEmpty)
        for ds in dsSet {
            let key = try #require(keys.first { $0.keyTag == ds.keyTag && $0.algorithm == ds.algorithm })
            #expect(DSDigest.matches(ds, key, owner: name) == true)
            #expect(DSDigest.ds(for: key, owner: name, type: ds.digestType) == ds)
            var corrupted = ds
            corrupted.digest[0] ^= 1
            #expect(DSDigest.matches(corrupted, key, owner: name) == false)
        }
    }

    @Test func unknownDigestTypeCannotBeComputed() throws {
        let records = try Vectors.records("root-anchors.zone")
        let key = try #require(Vectors.dnskeys(records, owner: .root).first)
        #expect(DSDigest.digest(of: key, owner: .root, type: DigestType(99)) == nil)
    }
}
