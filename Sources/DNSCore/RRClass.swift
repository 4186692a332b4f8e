/// A resource-record CLASS (RFC 1035 §3.2.4). Open; unknown values print as `CLASSnnn`.
public struct RRClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = RRClass(1)
    public static let chaos = RRClass(3)
    public static let hesiod = RRClass(4)
    public static let none = RRClass(254)
    public static let any = RRClass(255)

    static let mnemonics: [RRClass: String] = [.internet: "IN", .chaos: "CH", .hesiod: "HS", .none: "NONE", .any: "ANY"]
    static let byMnemonic: [String: RRClass] = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })

    /// Parses `IN`, `CH`, `HS`, … (case-insensitive) or `CLASSnnn` (RFC 3597 §5).
    public init?(mnemonic text: some StringProtocol) {
        let upper = text.uppercased()
        if let known = Self.byMnemonic[upper] { self = known; return }
        if upper == "CS" { self.init(2); return }
        guard let value = registryNumber(upper, prefix: "CLASS") else { return nil }
        self.init(value)
    }

    public var description: String { Self.mnemonics[self] ?? "CLASS\(rawValue)" }
}
