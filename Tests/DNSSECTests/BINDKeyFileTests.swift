import DNSCore
import Foundation
import Testing
@testable import DNSSEC

enum KeyFileVectors {
    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Vectors/keyfiles/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func pair(_ base: String) throws -> BINDKeyFile.Pair {
        try BINDKeyFile.Pair.parse(publicText: text(base + ".key"), publicFile: base + ".key",
                                   privateText: text(base + ".private"), privateFile: base + ".private")
    }
}

/// Key files written by dnssec-keygen and ldns-keygen load, give the key tag in their name,
/// and sign; what we print reads back the same.
@Suite struct BINDKeyFileTests {
    static let vectors: [(String, DNSSECAlgorithm, UInt16, Int)] = [
        ("Kexample.com.+013+50613", .ecdsaP256SHA256, 257, 256),
        ("Kexample.com.+008+44775", .rsaSHA256, 256, 1024),
        ("Kexample.com.+010+21365", .rsaSHA512, 256, 2048),
        ("Kexample.com.+014+18568", .ecdsaP384SHA384, 257, 384),
        ("Kexample.com.+015+26221", .ed25519, 256, 256),
        ("Kexample.com.+015+03613", .ed25519, 257, 256),
    ]

    @Test(arguments: vectors)
    func toolKeysLoadAndSign(_ base: String, _ algorithm: DNSSECAlgorithm, _ flags: UInt16, _ bits: Int) throws {
        let pair = try KeyFileVectors.pair(base)
        #expect(pair.owner == "example.com.")
        #expect(pair.key.algorithm == algorithm)
        #expect(pair.key.flags == flags)
        #expect(pair.key.bits == bits)
        #expect(pair.baseName == base)
        let parsed = try #require(BINDKeyFile.parseBaseName(base + ".key"))
        #expect(parsed.owner == "example.com." && parsed.algorithm == algorithm && parsed.keyTag == pair.key.keyTag)
        let data = Array("data".utf8)
        #expect(try DNSSECPublicKey.make(pair.key.dnskey).get().isValidSignature(pair.key.sign(data), for: data))
    }

    @Test func ttlInTheKeyFileIsKept() throws {
        #expect(try KeyFileVectors.pair("Kexample.com.+010+21365").ttl == 3600)
        #expect(try KeyFileVectors.pair("Kexample.com.+013+50613").ttl == nil)
    }

    @Test(arguments: vectors)
    func printedFilesReadBack(_ base: String, _ algorithm: DNSSECAlgorithm, _ flags: UInt16, _ bits: Int) throws {
        let pair = try KeyFileVectors.pair(base)
        for created in [nil, UInt32(1_704_067_200)] as [UInt32?] {
            let publicText = pair.publicText(created: created), privateText = pair.privateText(created: created)
            let again = try BINDKeyFile.Pair.parse(publicText: publicText, publicFile: "k.key", privateText: privateText, privateFile: "k.private")
            #expect(again.key.dnskey == pair.key.dnskey)
            #expect(again.key.material == pair.key.material)
            #expect(again.ttl == pair.ttl)
            #expect(privateText.hasPrefix("Private-key-format: v1.3\nAlgorithm: \(algorithm.rawValue) (\(algorithm))\n"))
            #expect(privateText.contains("Created: 20240101000000") == (created != nil))
        }
    }

    /// The layout BIND writes, field by field.
    @Test func printedLayout() throws {
        let pair = try KeyFileVectors.pair("Kexample.com.+015+03613")
        #expect(pair.publicText() == """
            ; This is a key-signing key, keyid 3613, for example.com.
            example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=

            """)
        #expect(pair.privateText() == """
            Private-key-format: v1.3
            Algorithm: 15 (ED25519)
            PrivateKey: ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=

            """)
        let rsa = try KeyFileVectors.pair("Kexample.com.+008+44775").privateText()
        let fields = rsa.split(separator: "\n").map { $0.split(separator: ":")[0] }
        #expect(fields == ["Private-key-format", "Algorithm", "Modulus", "PublicExponent", "PrivateExponent", "Prime1", "Prime2", "Exponent1", "Exponent2", "Coefficient"])
    }

    @Test func baseNames() {
        #expect(BINDKeyFile.baseName(owner: "example.com.", algorithm: .ecdsaP256SHA256, keyTag: 42) == "Kexample.com.+013+00042")
        #expect(BINDKeyFile.baseName(owner: .root, algorithm: .rsaSHA256, keyTag: 20326) == "K.+008+20326")
        #expect(BINDKeyFile.parseBaseName("K.+008+20326.private")?.owner == ".")
        #expect(BINDKeyFile.parseBaseName("Ka+b.+013+00001")?.owner == "a+b.")
        for bad in ["example.+013+00001", "K+013+00001", "Kexample.+13+00001", "Kexample.+013+1", "Kexample.+013+0000x", "Kexample.+999+00001"] {
            #expect(BINDKeyFile.parseBaseName(bad) == nil, "\(bad)")
        }
    }

    /// The RR may span lines in parentheses; comments anywhere; TTL and class in either order.
    @Test func publicFileForms() throws {
        let forms = [
            "example.com. IN 3600 DNSKEY 256 3 13 ( AAAA\n  BBBB ) ; trailing\n",
            "; c\n\nexample.com. 3600 DNSKEY 256 3 ECDSAP256SHA256 AAAABBBB\n; after\n",
            "example.com.\tIN\tDNSKEY\t256 3 13 AAAABBBB ;{id = 1 (zsk), size = 256b}",
        ]
        for text in forms {
            let parsed = try BINDKeyFile.Public.parse(text, file: "f.key")
            #expect(parsed.dnskey == DNSKEY(flags: 256, algorithm: .ecdsaP256SHA256, publicKey: Base64.decode(Array("AAAABBBB".utf8))!), "\(text)")
        }
    }

    @Test(arguments: [
        ("", KeyFileError.Code.missingField, 0),
        ("; only a comment\n", .missingField, 0),
        ("example.com. IN DNSKEY 256 3 13 AAAA\nexample.com. IN DNSKEY 256 3 13 AAAA\n", .syntax, 2),
        ("\nexample.com. IN DNSKEY 256 3 13 ( AAAA\n", .syntax, 2),
        ("example.com. IN DNSKEY 256 3 13 AAAA )\n", .syntax, 1),
        ("example.com IN DNSKEY 256 3 13 AAAA\n", .badValue, 1),
        ("\n\nexample.com. IN DS 256 3 13 AAAA\n", .badValue, 3),
        ("example.com. IN DNSKEY 256 3 13 not*base64\n", .badValue, 1),
        ("example.com. IN DNSKEY 256 3\n", .missingField, 1),
        ("example.com. IN DNSKEY 65536 3 13 AAAA\n", .badValue, 1),
    ])
    func publicFileErrors(_ text: String, _ code: KeyFileError.Code, _ line: Int) {
        do {
            _ = try BINDKeyFile.Public.parse(text, file: "K.key")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.line == line, "\(error)")
            #expect(error.file == "K.key")
        }
    }

    static let goodPrivate = "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: Qb/3o5fEzLfivDlIsjA9H2+ND8zEd78utfOhrL0jl7g=\n"

    @Test(arguments: [
        ("Algorithm: 13\nPrivateKey: AAAA\n", KeyFileError.Code.missingField, 0),
        ("Private-key-format: v2.0\nAlgorithm: 13\nPrivateKey: AAAA\n", .unsupportedFormat, 1),
        ("Private-key-format: v1.3\nAlgorithm: x13\nPrivateKey: AAAA\n", .badValue, 2),
        ("Private-key-format: v1.3\nAlgorithm: 5 (RSASHA1)\nModulus: AAAA\n", .unsupportedKey, 2),
        ("Private-key-format: v1.3\nAlgorithm: 13\n", .missingField, 0),
        ("Private-key-format: v1.3\nAlgorithm: 13\nPrivateKey: *\n", .badValue, 3),
        ("Private-key-format: v1.3\nAlgorithm: 13\nPrivateKey: AAAA\nPrivateKey: AAAA\n", .duplicateField, 4),
        ("Private-key-format: v1.3\nAlgorithm: 13\ngarbage\n", .syntax, 3),
        ("Private-key-format: v1.3\nAlgorithm: 8 (RSASHA256)\nModulus: AAAA\nPublicExponent: AQAB\n", .missingField, 0),
    ])
    func privateFileErrors(_ text: String, _ code: KeyFileError.Code, _ line: Int) {
        do {
            _ = try BINDKeyFile.Private.parse(text, file: "K.private")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.line == line, "\(error)")
        }
    }

    @Test func privateFileIgnoresTimingAndUnknownFields() throws {
        let text = Self.goodPrivate + "Created: 20261201075702\nPublish: 20261201075702\nActivate: 20261201075702\nSomethingNew: 1\n"
        let parsed = try BINDKeyFile.Private.parse(text, file: "K.private")
        #expect(parsed.algorithm == .ecdsaP256SHA256)
    }

    /// ldns 1.7 wrote Ed25519 seeds inside a PKCS#8 wrapper (RFC 8410 §7).
    @Test func ed25519InPKCS8Wrapper() throws {
        let seed = Base64.decode(Array("ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=".utf8))!
        let text = "Private-key-format: v1.2\nAlgorithm: 15 (ED25519)\nPrivateKey: \(Base64.encode(BINDKeyFile.Private.ed25519PKCS8Prefix + seed))\n"
        #expect(try BINDKeyFile.Private.parse(text, file: "K.private").material == .raw(seed))
    }

    @Test func mismatchedPairs() throws {
        let ecPublic = try KeyFileVectors.text("Kexample.com.+013+50613.key")
        let otherEC = Self.goodPrivate
        func code(_ publicText: String, _ privateText: String) -> KeyFileError.Code? {
            do { _ = try BINDKeyFile.Pair.parse(publicText: publicText, publicFile: "a.key", privateText: privateText, privateFile: "a.private"); return nil }
            catch { return error.code }
        }
        #expect(code(ecPublic, otherEC) == .mismatch)
        #expect(code(ecPublic, try KeyFileVectors.text("Kexample.com.+015+26221.private")) == .mismatch)
        #expect(code(ecPublic.replacingOccurrences(of: "257 3 13", with: "257 2 13"), try KeyFileVectors.text("Kexample.com.+013+50613.private")) == .badValue)
        #expect(code(ecPublic, "Private-key-format: v1.3\nAlgorithm: 13\nPrivateKey: AAAA\n") == .unsupportedKey)
    }
}
