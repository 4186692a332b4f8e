/// A DS digest type (RFC 4034 §5.1.3, IANA "Delegation Signer (DS) Resource Record Digest
/// Algorithms"). Open.
public struct DigestType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let sha1 = DigestType(1)
    public static let sha256 = DigestType(2)
    public static let gost = DigestType(3)
    public static let sha384 = DigestType(4)

    /// Digest length in octets for the types we know, nil otherwise.
    public var digestLength: Int? {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .gost: 32
        case .sha384: 48
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .sha1: "SHA-1"
        case .sha256: "SHA-256"
        case .gost: "GOST R 34.11-94"
        case .sha384: "SHA-384"
        default: "DIGEST\(rawValue)"
        }
    }
}

/// An NSEC3 hash algorithm (RFC 5155 §11). Open.
public struct NSEC3HashAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let sha1 = NSEC3HashAlgorithm(1)

    public var description: String { self == .sha1 ? "SHA-1" : "HASH\(rawValue)" }
}
