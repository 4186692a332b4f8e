import Crypto
import DNSCore
import Foundation
import Testing
@testable import DNSSEC

/// `DNSSECSigningKey`: keys for every signing algorithm, their DNSKEY, and signatures that
/// `DNSSECPublicKey` accepts (RFC 5702 §3, RFC 6605 §4, RFC 8080 §4).
@Suite struct SigningKeyTests {
    static let message = Array("RRSIG RDATA and canonical RRset".utf8)

    @Test(arguments: AlgorithmPolicy.signingAlgorithms)
    func signaturesVerifyWithThePublicKey(_ algorithm: DNSSECAlgorithm) throws {
        let key = try #require(TestZones.keyPairs[algorithm]?.last)
        #expect(key.dnskey.flags == 256)
        #expect(key.dnskey.protocol == 3)
        #expect(key.dnskey.algorithm == algorithm)
        let signature = try key.sign(Self.message)
        let publicKey = try DNSSECPublicKey.make(key.dnskey).get()
        #expect(publicKey.isValidSignature(signature, for: Self.message))
        #expect(!publicKey.isValidSignature(signature, for: Self.message + [0]))
        let expectedLength: Int = switch algorithm {
        case .ecdsaP256SHA256, .ed25519: 64
        case .ecdsaP384SHA384: 96
        default: 256
        }
        #expect(signature.count == expectedLength)
    }

    @Test func keySigningKeyHasSEPFlag() throws {
        let ksk = try #require(TestZones.keyPairs[.ecdsaP256SHA256]?.first)
        #expect(ksk.dnskey.flags == 257)
        #expect(ksk.isKeySigningKey)
        #expect(ksk.keyTag == ksk.dnskey.keyTag)
    }

    /// RFC 3110 §2: one octet of exponent length, exponent, modulus; 2048 bits by default.
    @Test func rsaPublicKeyLayout() throws {
        let key = try #require(TestZones.keyPairs[.rsaSHA256]?.first)
        #expect(key.bits == 2048)
        guard case .rsa(let numbers) = key.material else { Issue.record("not RSA"); return }
        #expect(key.publicKeyField == [UInt8(numbers.publicExponent.count)] + numbers.publicExponent + numbers.modulus)
        #expect(numbers.publicExponent == [1, 0, 1])
    }

    /// A 1,024-bit key (still common as a ZSK) loads from its numbers and signs.
    @Test func rsa1024LoadsFromNumbersAndSigns() throws {
        let generated = try DNSSECSigningKey.generate(algorithm: .rsaSHA256, rsaBits: 1024)
        let loaded = try DNSSECSigningKey(algorithm: .rsaSHA256, flags: 256, material: generated.material)
        #expect(loaded.bits == 1024)
        #expect(loaded.dnskey == generated.dnskey)
        let signature = try loaded.sign(Self.message)
        #expect(try DNSSECPublicKey.make(generated.dnskey).get().isValidSignature(signature, for: Self.message))
    }

    /// BIND writes an ECDSA private key as a number without leading zero octets.
    @Test func shortECDSAScalarsArePadded() throws {
        let scalar: [UInt8] = [0x00] + (1...31).map { UInt8($0) }
        let full = try DNSSECSigningKey(algorithm: .ecdsaP256SHA256, flags: 256, material: .raw(scalar))
        let short = try DNSSECSigningKey(algorithm: .ecdsaP256SHA256, flags: 256, material: .raw(Array(scalar.dropFirst())))
        #expect(short.dnskey == full.dnskey)
        #expect(short.material == .raw(scalar))
    }

    @Test(arguments: AlgorithmPolicy.signingAlgorithms)
    func materialRoundTrips(_ algorithm: DNSSECAlgorithm) throws {
        let key = try #require(TestZones.keyPairs[algorithm]?.first)
        let loaded = try DNSSECSigningKey(algorithm: algorithm, flags: key.flags, material: key.material)
        #expect(loaded.dnskey == key.dnskey)
    }

    @Test func unsupportedAlgorithmsAndSizesAreRefused() {
        #expect(throws: DNSSECSigningKey.Problem.unsupportedAlgorithm(.rsaSHA1)) { try DNSSECSigningKey.generate(algorithm: .rsaSHA1) }
        #expect(throws: DNSSECSigningKey.Problem.unsupportedAlgorithm(.ed448)) { try DNSSECSigningKey.generate(algorithm: .ed448) }
        #expect(throws: DNSSECSigningKey.Problem.unsupportedKeySize(512)) { try DNSSECSigningKey.generate(algorithm: .rsaSHA256, rsaBits: 512) }
        #expect(throws: DNSSECSigningKey.Problem.unsupportedKeySize(8192)) { try DNSSECSigningKey.generate(algorithm: .rsaSHA512, rsaBits: 8192) }
    }

    @Test func malformedMaterialIsAnErrorNotACrash() throws {
        func problem(_ algorithm: DNSSECAlgorithm, _ material: DNSSECSigningKey.PrivateMaterial) -> DNSSECSigningKey.Problem? {
            do { _ = try DNSSECSigningKey(algorithm: algorithm, flags: 256, material: material); return nil } catch { return error }
        }
        #expect(problem(.ecdsaP256SHA256, .raw([UInt8](repeating: 1, count: 33))).map { if case .malformed = $0 { true } else { false } } == true)
        #expect(problem(.ecdsaP256SHA256, .raw([UInt8](repeating: 0, count: 32))).map { if case .malformed = $0 { true } else { false } } == true)
        #expect(problem(.ecdsaP384SHA384, .raw([UInt8](repeating: 0xFF, count: 48))).map { if case .malformed = $0 { true } else { false } } == true)
        #expect(problem(.ed25519, .raw([UInt8](repeating: 1, count: 31))).map { if case .malformed = $0 { true } else { false } } == true)
        #expect(problem(.rsaSHA256, .raw([UInt8](repeating: 1, count: 32))).map { if case .malformed = $0 { true } else { false } } == true)
        #expect(problem(.ed25519, .rsa(RSAPrivateNumbers(modulus: [1], publicExponent: [3], privateExponent: [1], prime1: [1], prime2: [1], exponent1: [1], exponent2: [1], coefficient: [1])))
            .map { if case .malformed = $0 { true } else { false } } == true)
        // RSA numbers that are not a key: right size, wrong values.
        guard case .rsa(var numbers) = try #require(TestZones.keyPairs[.rsaSHA256]?.first).material else { return }
        numbers.prime1[numbers.prime1.count - 1] ^= 2
        #expect(problem(.rsaSHA256, .rsa(numbers)).map { if case .malformed = $0 { true } else { false } } == true)
        numbers.modulus = [1, 0, 1]
        #expect(problem(.rsaSHA256, .rsa(numbers)) == .unsupportedKeySize(17))
    }
}

/// RFC 8080 §6.1 with errata: the Ed25519 examples' private keys (their seeds, in the
/// vector file's comments) give the published DNSKEYs, and re-signing the MX RRset gives the
/// published RRSIGs byte for byte, since Ed25519 is deterministic (RFC 8032 §5.1.6).
@Suite struct RFC8080_6_1_SigningTests {
    static let examples: [(seed: String, tag: UInt16)] = [
        ("ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=", 3613),
        ("DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=", 35217),
    ]

    @Test(arguments: examples)
    func resignsByteIdentically(_ example: (seed: String, tag: UInt16)) throws {
        let records = try Vectors.records("rfc8080-eddsa.zone")
        let seed = try #require(Base64.decode(Array(example.seed.utf8)))
        let key = try DNSSECSigningKey(algorithm: .ed25519, flags: 257, material: .raw(seed))
        #expect(key.keyTag == example.tag)
        let published = try #require(Vectors.dnskeys(records, owner: "example.com.").first { $0.keyTag == example.tag })
        #expect(key.dnskey == published)

        let rrsig = try #require(records.compactMap { $0.rdata.as(RRSIG.self) }.first { $0.keyTag == example.tag })
        let mx = try #require(RRSet.group(records.filter { $0.type == .mx }).first)
        var unsigned = rrsig
        unsigned.signature = []
        let signature = try key.sign(unsigned.signedFieldsWire + mx.canonicalWire(ttl: rrsig.originalTTL))
        #if canImport(CryptoKit)
        // Apple's CryptoKit randomizes Ed25519 signatures (still valid, not identical).
        #expect(try DNSSECPublicKey.make(published).get().isValidSignature(signature, for: unsigned.signedFieldsWire + mx.canonicalWire(ttl: rrsig.originalTTL)))
        #else
        #expect(signature == rrsig.signature)
        #endif
    }
}
