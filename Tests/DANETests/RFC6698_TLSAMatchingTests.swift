import DNSCore
import Foundation
import Testing
@testable import DANE

enum DANEVectors {
    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Vectors/rfc6698/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The RFC 6698 App. C certificate as DER.
    static func certificate() throws -> [UInt8] {
        let pem = try text("rfc6698-appendix-C-cert.pem")
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") && !$0.hasPrefix("#") }.joined()
        return try #require(Base64.decode(Array(body.utf8)))
    }

    /// The App. C association data by "S M" pair, from the vector file's comments.
    static func appendixC() throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for line in try text("rfc6698-tlsa.txt").split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 7, parts[1] == "S", parts[2] == "M", parts[3] == "=" else { continue }
            result["\(parts[4]) \(parts[5].dropLast())"] = Base16.decode(Array(parts[6].utf8))
        }
        return result
    }
}

/// DNSSEC-CASES #35: every selector / matching type of RFC 6698 App. C, and what makes a
/// record unusable (RFC 7672 §3.1.3, RFC 7671 §9).
@Suite struct RFC6698_2_1_TLSAMatchingTests {
    @Test(arguments: [(0, 1), (0, 2), (1, 1), (1, 2)])
    func appendixCDigests(_ selector: UInt8, _ matching: UInt8) throws {
        let der = try DANEVectors.certificate()
        let expected = try #require(try DANEVectors.appendixC()["\(selector) \(matching)"])
        let data = try TLSAMatcher.associationData(certificate: der, selector: TLSA.Selector(rawValue: selector),
                                                   matchingType: TLSA.MatchingType(rawValue: matching))
        #expect(data == expected)
    }

    /// Selector 1 is the SubjectPublicKeyInfo exactly as the certificate encodes it: the
    /// 422 octets App. C lists, found inside the certificate's own bytes.
    @Test func spkiIsCutFromTheCertificate() throws {
        let der = try DANEVectors.certificate()
        let spki = try CertificateFields.subjectPublicKeyInfo(of: der)
        #expect(spki.count == 422)
        #expect(spki.first == 0x30)
        #expect(try TLSAMatcher.associationData(certificate: der, selector: .cert, matchingType: .full) == der)
        #expect(der.count == 1112)
    }

    /// RFC 7672 §3.1.1: DANE-EE ignores expiry — the App. C certificate expired in 2022.
    @Test func daneEEMatchesTheExpiredLeaf() throws {
        let der = try DANEVectors.certificate()
        let digest = try #require(try DANEVectors.appendixC()["1 1"])
        let record = TLSA(usage: .daneEE, selector: .spki, matchingType: .sha256, associationData: digest)
        #expect(TLSAMatcher.daneEEMatch([record], leaf: der) == record)
        var wrong = record
        wrong.associationData[0] ^= 1
        #expect(TLSAMatcher.daneEEMatch([wrong], leaf: der) == nil)
        let ta = TLSA(usage: .daneTA, selector: .spki, matchingType: .sha256, associationData: digest)
        #expect(TLSAMatcher.daneEEMatch([ta], leaf: der) == nil)
    }

    @Test func RFC7672_3_1_3_unusableRecords() {
        let digest = [UInt8](repeating: 0xAB, count: 32)
        func problem(_ u: UInt8, _ s: UInt8, _ m: UInt8, _ data: [UInt8] = digest) -> TLSAUsability.Problem? {
            TLSAUsability.problem(with: TLSA(usage: TLSA.CertificateUsage(rawValue: u), selector: TLSA.Selector(rawValue: s),
                                             matchingType: TLSA.MatchingType(rawValue: m), associationData: data))
        }
        #expect(problem(3, 1, 1) == nil)
        #expect(problem(2, 0, 1) == nil)
        #expect(problem(3, 1, 0, [0x30]) == nil)
        #expect(problem(0, 1, 1) == .pkixUsage(.pkixTA))
        #expect(problem(1, 1, 1) == .pkixUsage(.pkixEE))
        #expect(problem(4, 1, 1) == .unknownUsage(TLSA.CertificateUsage(rawValue: 4)))
        #expect(problem(3, 2, 1) == .unknownSelector(TLSA.Selector(rawValue: 2)))
        #expect(problem(3, 1, 3) == .unknownMatchingType(TLSA.MatchingType(rawValue: 3)))
        #expect(problem(3, 1, 1, [1, 2, 3]) == .wrongDigestLength(expected: 32, actual: 3))
        #expect(problem(3, 1, 2) == .wrongDigestLength(expected: 64, actual: 32))
    }

    /// RFC 7671 §9: a SHA2-512 record for the same usage and selector retires the SHA2-256
    /// ones; other groups and Full(0) records are untouched.
    @Test func RFC7671_9_digestAgility() {
        let sha256 = TLSA(usage: .daneEE, selector: .spki, matchingType: .sha256, associationData: [UInt8](repeating: 1, count: 32))
        let sha512 = TLSA(usage: .daneEE, selector: .spki, matchingType: .sha512, associationData: [UInt8](repeating: 2, count: 64))
        let other = TLSA(usage: .daneTA, selector: .spki, matchingType: .sha256, associationData: [UInt8](repeating: 3, count: 32))
        let full = TLSA(usage: .daneEE, selector: .spki, matchingType: .full, associationData: [0x30, 0x00])
        let (usable, unusable) = TLSAUsability.partition([sha256, sha512, other, full])
        #expect(usable == [sha512, other, full])
        #expect(unusable.map(\.1) == [.weakerDigest(.sha256)])
    }

    /// Bad certificate DER is an error with an offset, never a crash: every truncation of the
    /// App. C certificate, and garbage.
    @Test func malformedCertificates() throws {
        let der = try DANEVectors.certificate()
        for cut in stride(from: 0, to: 420, by: 7) {
            #expect(throws: CertificateFields.Malformed.self) { _ = try CertificateFields.subjectPublicKeyInfo(of: Array(der.prefix(cut))) }
        }
        for garbage: [UInt8] in [[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], [0x30, 0x80], [0x31, 0x00], [0x30, 0x03, 0x30, 0x01, 0x1F]] {
            #expect(throws: CertificateFields.Malformed.self) { _ = try CertificateFields.subjectPublicKeyInfo(of: garbage) }
        }
        let record = TLSA(usage: .daneEE, selector: .spki, matchingType: .sha256, associationData: [UInt8](repeating: 0, count: 32))
        #expect(!TLSAMatcher.matches(record, certificate: [0x30, 0x00]))
    }
}

/// RFC 7468 §5 PEM blocks.
@Suite struct PEMCertificateTests {
    @Test func parsesInOrderAndSkipsOtherBlocks() throws {
        let der = try DANEVectors.certificate()
        let base64 = Base64.encode(der)
        let text = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\r\n"
        #expect(try PEMCertificates.parse(text) == [der])
    }

    @Test func errorsNameTheLine() {
        #expect(throws: PEMCertificates.Malformed(line: 1, reason: "certificate not closed by END CERTIFICATE")) {
            try PEMCertificates.parse("-----BEGIN CERTIFICATE-----\nAAAA\n")
        }
        #expect(throws: PEMCertificates.Malformed.self) { try PEMCertificates.parse("-----END CERTIFICATE-----\n") }
        #expect(throws: PEMCertificates.Malformed.self) { try PEMCertificates.parse("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----") }
    }
}
