import Crypto
import CryptoExtras
import DNSCore
import Foundation

/// A DNSKEY's public key, ready to verify RRSIG signatures with swift-crypto.
///
/// Key formats: RSA per RFC 3110 §2 (exponent length in one octet, or zero and then two
/// octets, then exponent, then modulus); ECDSA per RFC 6605 §4 (x‖y, 64 or 96 octets);
/// Ed25519 per RFC 8080 §3 (32 octets). Signature formats: RSA the plain PKCS#1 v1.5 block
/// (RFC 3110 §3, RFC 5702 §3), ECDSA r‖s (RFC 6605 §4), Ed25519 64 octets (RFC 8080 §4).
public struct DNSSECPublicKey: Sendable {
    enum Backing: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    public let algorithm: DNSSECAlgorithm
    let backing: Backing
    /// RSA modulus size, 256/384 for ECDSA, 256 for Ed25519.
    public let bits: Int

    /// Why a DNSKEY cannot be used for verification.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// Algorithm outside the policy (RFC 4035 §5.2: treat as unsigned → insecure).
        case unsupportedAlgorithm(DNSSECAlgorithm)
        /// RSA modulus outside the policy's range (→ unsupported → insecure).
        case unsupportedKeySize(Int)
        /// The key octets do not form a key of the algorithm (→ that key is unusable).
        case malformed(String)

        public var description: String {
            switch self {
            case .unsupportedAlgorithm(let algorithm): "algorithm \(algorithm.rawValue) (\(algorithm)) is not supported"
            case .unsupportedKeySize(let bits): "RSA key of \(bits) bits is outside the supported range"
            case .malformed(let why): "malformed public key: \(why)"
            }
        }
    }

    /// The key of `dnskey`, or why it cannot be used under `policy`.
    public static func make(_ dnskey: DNSKEY, policy: AlgorithmPolicy = .default) -> Result<DNSSECPublicKey, Problem> {
        let algorithm = dnskey.algorithm
        guard policy.canVerify(algorithm) else { return .failure(.unsupportedAlgorithm(algorithm)) }
        let key = dnskey.publicKey
        switch algorithm {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512:
            guard let (exponent, modulus) = rsaComponents(key) else { return .failure(.malformed("bad RFC 3110 layout")) }
            let bits = bitLength(modulus)
            guard bits >= max(policy.minimumRSABits, AlgorithmPolicy.smallestLoadableRSABits), bits <= policy.maximumRSABits else {
                return .failure(.unsupportedKeySize(bits))
            }
            guard bitLength(exponent) <= 33, bitLength(exponent) >= 2 else {
                // BoringSSL refuses exponents over 33 bits; an even or tiny exponent is no key.
                return .failure(.unsupportedKeySize(bits))
            }
            do {
                let der = DER.sequence(ofIntegers: [modulus, exponent])
                let rsa = try _RSA.Signing.PublicKey(unsafeDERRepresentation: der)
                return .success(DNSSECPublicKey(algorithm: algorithm, backing: .rsa(rsa), bits: bits))
            } catch {
                return .failure(.malformed("RSA key rejected: \(error)"))
            }
        case .ecdsaP256SHA256:
            guard key.count == 64, let p256 = try? P256.Signing.PublicKey(rawRepresentation: key) else {
                return .failure(.malformed("not a P-256 point (\(key.count) octets)"))
            }
            return .success(DNSSECPublicKey(algorithm: algorithm, backing: .p256(p256), bits: 256))
        case .ecdsaP384SHA384:
            guard key.count == 96, let p384 = try? P384.Signing.PublicKey(rawRepresentation: key) else {
                return .failure(.malformed("not a P-384 point (\(key.count) octets)"))
            }
            return .success(DNSSECPublicKey(algorithm: algorithm, backing: .p384(p384), bits: 384))
        case .ed25519:
            guard key.count == 32, let ed = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else {
                return .failure(.malformed("not an Ed25519 key (\(key.count) octets)"))
            }
            return .success(DNSSECPublicKey(algorithm: algorithm, backing: .ed25519(ed), bits: 256))
        default:
            return .failure(.unsupportedAlgorithm(algorithm))
        }
    }

    /// RFC 3110 §2: (exponent, modulus), or nil if the lengths do not fit.
    static func rsaComponents(_ key: [UInt8]) -> (exponent: [UInt8], modulus: [UInt8])? {
        guard let first = key.first else { return nil }
        var index = 1
        var exponentLength = Int(first)
        if exponentLength == 0 {
            guard key.count >= 3 else { return nil }
            exponentLength = Int(key[1]) << 8 | Int(key[2])
            index = 3
        }
        guard exponentLength > 0, key.count > index + exponentLength else { return nil }
        let exponent = Array(key[index..<(index + exponentLength)])
        let modulus = Array(key[(index + exponentLength)...])
        return (exponent, modulus)
    }

    static func bitLength(_ bytes: [UInt8]) -> Int {
        guard let firstNonZero = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        let top = bytes[firstNonZero]
        return (bytes.count - firstNonZero - 1) * 8 + (8 - top.leadingZeroBitCount)
    }

    /// Whether `signature` is this key's signature over `data` (the RRSIG signed data,
    /// RFC 4034 §3.1.8.1), hashed as the algorithm says.
    public func isValidSignature(_ signature: [UInt8], for data: [UInt8]) -> Bool {
        switch backing {
        case .rsa(let key):
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            switch algorithm {
            case .rsaSHA1, .rsaSHA1NSEC3SHA1:
                return key.isValidSignature(rsaSignature, for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
            case .rsaSHA256:
                return key.isValidSignature(rsaSignature, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            case .rsaSHA512:
                return key.isValidSignature(rsaSignature, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
            default:
                return false
            }
        case .p256(let key):
            guard signature.count == 64, let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsa, for: data)
        case .p384(let key):
            guard signature.count == 96, let ecdsa = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsa, for: data)
        case .ed25519(let key):
            guard signature.count == 64 else { return false }
            return key.isValidSignature(signature, for: data)
        }
    }
}
