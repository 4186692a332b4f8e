import DNSCore

/// Which algorithms and key sizes this validator uses. An algorithm or key outside the policy
/// is *unsupported*: a zone signed only with it is insecure, never bogus (RFC 4035 §5.2,
/// RFC 6840 §5.2; RFC 8624 §3.1 lists what to implement).
///
/// Defaults: RSA moduli of 1,024 to 4,096 bits (BIND's 4,096 cap, ring's 1,024 floor; real
/// zones still have 1,024-bit ZSKs, so the floor cannot be 2,048), SHA-1 algorithms (5, 7)
/// and SHA-1 DS digests allowed (RFC 8624 still has validators MUST support them). Ed448 (16)
/// is unsupported: swift-crypto has no Ed448 (hickory makes the same choice).
public struct AlgorithmPolicy: Hashable, Sendable {
    public var minimumRSABits: Int
    public var maximumRSABits: Int
    public var allowSHA1: Bool

    /// swift-crypto does not load RSA keys under 1,024 bits, so a lower minimum has no effect.
    public static let smallestLoadableRSABits = 1024

    public static let `default` = AlgorithmPolicy(minimumRSABits: 1024, maximumRSABits: 4096, allowSHA1: true)

    public init(minimumRSABits: Int, maximumRSABits: Int, allowSHA1: Bool) {
        self.minimumRSABits = minimumRSABits
        self.maximumRSABits = maximumRSABits
        self.allowSHA1 = allowSHA1
    }

    /// Algorithms we can verify at all (before key-size checks).
    public func canVerify(_ algorithm: DNSSECAlgorithm) -> Bool {
        switch algorithm {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1: allowSHA1
        case .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519: true
        default: false
        }
    }

    /// Algorithms we sign with (RFC 8624 §3.1 "MUST"/"RECOMMENDED" for signing; no SHA-1).
    public static let signingAlgorithms: [DNSSECAlgorithm] = [.rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519]

    /// DS digest types we can compute (RFC 4509, RFC 6605 §2).
    public func canDigest(_ type: DigestType) -> Bool {
        switch type {
        case .sha1: allowSHA1
        case .sha256, .sha384: true
        default: false
        }
    }
}
