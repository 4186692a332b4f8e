/// A response code, 12 bits: the 4 header bits plus the 8 EDNS extended bits
/// (RFC 1035 §4.1.1, RFC 6891 §6.1.3). Open.
public struct RCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    public static let noError = RCode(rawValue: 0)
    public static let formErr = RCode(rawValue: 1)
    public static let servFail = RCode(rawValue: 2)
    public static let nxDomain = RCode(rawValue: 3)
    public static let notImp = RCode(rawValue: 4)
    public static let refused = RCode(rawValue: 5)
    public static let yxDomain = RCode(rawValue: 6)
    public static let yxRRSet = RCode(rawValue: 7)
    public static let nxRRSet = RCode(rawValue: 8)
    public static let notAuth = RCode(rawValue: 9)
    public static let notZone = RCode(rawValue: 10)
    public static let dsoTypeNI = RCode(rawValue: 11)
    /// BADVERS (RFC 6891 §9); the same value is BADSIG in TSIG (RFC 8945).
    public static let badVers = RCode(rawValue: 16)
    public static let badKey = RCode(rawValue: 17)
    public static let badTime = RCode(rawValue: 18)
    public static let badMode = RCode(rawValue: 19)
    public static let badName = RCode(rawValue: 20)
    public static let badAlg = RCode(rawValue: 21)
    public static let badTrunc = RCode(rawValue: 22)
    public static let badCookie = RCode(rawValue: 23)

    /// The low 4 bits carried in the header.
    public var headerBits: UInt8 { UInt8(rawValue & 0x0F) }
    /// The high 8 bits carried in the OPT TTL field.
    public var extendedBits: UInt8 { UInt8(rawValue >> 4) }

    public init(headerBits: UInt8, extendedBits: UInt8) {
        self.init(rawValue: UInt16(extendedBits) << 4 | UInt16(headerBits & 0x0F))
    }

    static let mnemonics: [RCode: String] = [
        .noError: "NOERROR", .formErr: "FORMERR", .servFail: "SERVFAIL", .nxDomain: "NXDOMAIN",
        .notImp: "NOTIMP", .refused: "REFUSED", .yxDomain: "YXDOMAIN", .yxRRSet: "YXRRSET",
        .nxRRSet: "NXRRSET", .notAuth: "NOTAUTH", .notZone: "NOTZONE", .dsoTypeNI: "DSOTYPENI",
        .badVers: "BADVERS", .badKey: "BADKEY", .badTime: "BADTIME", .badMode: "BADMODE",
        .badName: "BADNAME", .badAlg: "BADALG", .badTrunc: "BADTRUNC", .badCookie: "BADCOOKIE",
    ]

    public var description: String { Self.mnemonics[self] ?? "RCODE\(rawValue)" }
}
