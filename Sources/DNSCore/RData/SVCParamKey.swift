/// A SvcParamKey (RFC 9460 §14.3, IANA "Service Parameter Keys (SvcParamKeys)"). Open: any
/// 16-bit value is a key; unregistered ones are written `keyNNNNN` (RFC 9460 §2.1).
public struct SVCParamKey: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// Keys the client must understand to use the record (RFC 9460 §8).
    public static let mandatory = SVCParamKey(0)
    /// Application-Layer Protocol Negotiation IDs (RFC 9460 §7.1).
    public static let alpn = SVCParamKey(1)
    /// The mapping's default ALPN set is not supported (RFC 9460 §7.1).
    public static let noDefaultALPN = SVCParamKey(2)
    /// Alternative port (RFC 9460 §7.2).
    public static let port = SVCParamKey(3)
    /// IPv4 address hints (RFC 9460 §7.3).
    public static let ipv4Hint = SVCParamKey(4)
    /// Encrypted ClientHello configuration list, opaque here (RFC 9460 §14.3.2; defined by
    /// the TLS working group's SVCB-for-ECH specification).
    public static let ech = SVCParamKey(5)
    /// IPv6 address hints (RFC 9460 §7.3).
    public static let ipv6Hint = SVCParamKey(6)
    /// DNS over HTTPS URI template path (RFC 9461 §5).
    public static let dohPath = SVCParamKey(7)
    /// Oblivious HTTP gateway support (RFC 9540 §4).
    public static let ohttp = SVCParamKey(8)
    /// Reserved, "Invalid key" (RFC 9460 §14.3.2).
    public static let invalidKey = SVCParamKey(65535)

    static let mnemonics: [SVCParamKey: String] = [
        .mandatory: "mandatory", .alpn: "alpn", .noDefaultALPN: "no-default-alpn", .port: "port",
        .ipv4Hint: "ipv4hint", .ech: "ech", .ipv6Hint: "ipv6hint", .dohPath: "dohpath", .ohttp: "ohttp",
    ]
    static let byMnemonic: [String: SVCParamKey] = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })

    /// Parses a registered name (lowercase, RFC 9460 §2.1) or `keyNNNNN` with the decimal
    /// value and no leading zeros (RFC 9460 §2.1).
    public init?(presentation text: some Collection<UInt8>) {
        let name = String(decoding: text, as: UTF8.self)
        if let known = Self.byMnemonic[name] { self = known; return }
        let digits = text.dropFirst(3)
        guard text.starts(with: "key".utf8), !digits.isEmpty, digits.count <= 5,
              digits.first != UInt8(ascii: "0") || digits.count == 1,
              let value = PresentationScanner.decimal(ArraySlice(digits), as: UInt16.self)
        else { return nil }
        self.init(value)
    }

    public init?(_ text: String) { self.init(presentation: Array(text.utf8)) }

    /// The registered name, or `keyNNNNN`.
    public var description: String { Self.mnemonics[self] ?? "key\(rawValue)" }

    public static func < (lhs: SVCParamKey, rhs: SVCParamKey) -> Bool { lhs.rawValue < rhs.rawValue }
}
