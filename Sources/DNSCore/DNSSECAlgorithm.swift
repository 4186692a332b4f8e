/// A DNSSEC algorithm number (RFC 4034 App. A.1, IANA "DNS Security Algorithm Numbers"). Open.
public struct DNSSECAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let rsaMD5 = DNSSECAlgorithm(1)
    public static let dh = DNSSECAlgorithm(2)
    public static let dsa = DNSSECAlgorithm(3)
    public static let rsaSHA1 = DNSSECAlgorithm(5)
    public static let dsaNSEC3SHA1 = DNSSECAlgorithm(6)
    public static let rsaSHA1NSEC3SHA1 = DNSSECAlgorithm(7)
    public static let rsaSHA256 = DNSSECAlgorithm(8)
    public static let rsaSHA512 = DNSSECAlgorithm(10)
    public static let eccGOST = DNSSECAlgorithm(12)
    public static let ecdsaP256SHA256 = DNSSECAlgorithm(13)
    public static let ecdsaP384SHA384 = DNSSECAlgorithm(14)
    public static let ed25519 = DNSSECAlgorithm(15)
    public static let ed448 = DNSSECAlgorithm(16)
    public static let privateDNS = DNSSECAlgorithm(253)
    public static let privateOID = DNSSECAlgorithm(254)

    static let mnemonics: [DNSSECAlgorithm: String] = [
        .rsaMD5: "RSAMD5", .dh: "DH", .dsa: "DSA", .rsaSHA1: "RSASHA1", .dsaNSEC3SHA1: "DSA-NSEC3-SHA1",
        .rsaSHA1NSEC3SHA1: "RSASHA1-NSEC3-SHA1", .rsaSHA256: "RSASHA256", .rsaSHA512: "RSASHA512",
        .eccGOST: "ECC-GOST", .ecdsaP256SHA256: "ECDSAP256SHA256", .ecdsaP384SHA384: "ECDSAP384SHA384",
        .ed25519: "ED25519", .ed448: "ED448", .privateDNS: "PRIVATEDNS", .privateOID: "PRIVATEOID",
    ]
    static let byMnemonic: [String: DNSSECAlgorithm] = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })

    /// Parses a number (plain digits: `UInt8(_:)` alone would also take `+5` and `-0`) or a
    /// mnemonic (RFC 4034 §5.3 allows either in DS/RRSIG/DNSKEY text).
    public init?(text: some StringProtocol) {
        if text.utf8.allSatisfy({ $0 &- 48 < 10 }), let value = UInt8(text) { self.init(value); return }
        guard let known = Self.byMnemonic[text.uppercased()] else { return nil }
        self = known
    }

    public var description: String { Self.mnemonics[self] ?? "ALG\(rawValue)" }
}
