/// An EDNS(0) option code (RFC 6891 §6.1.2, IANA "DNS EDNS0 Option Codes (OPT)"). Open.
public struct EDNSOptionCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let llq = EDNSOptionCode(1)
    public static let updateLease = EDNSOptionCode(2)
    public static let nsid = EDNSOptionCode(3)
    public static let dau = EDNSOptionCode(5)
    public static let dhu = EDNSOptionCode(6)
    public static let n3u = EDNSOptionCode(7)
    public static let clientSubnet = EDNSOptionCode(8)
    public static let expire = EDNSOptionCode(9)
    public static let cookie = EDNSOptionCode(10)
    public static let tcpKeepalive = EDNSOptionCode(11)
    public static let padding = EDNSOptionCode(12)
    public static let chain = EDNSOptionCode(13)
    public static let keyTag = EDNSOptionCode(14)
    public static let extendedDNSError = EDNSOptionCode(15)
    public static let reportChannel = EDNSOptionCode(18)
    public static let zoneversion = EDNSOptionCode(19)

    public var description: String {
        switch self {
        case .nsid: "NSID"
        case .clientSubnet: "ECS"
        case .cookie: "COOKIE"
        case .tcpKeepalive: "KEEPALIVE"
        case .padding: "PADDING"
        case .keyTag: "KEY-TAG"
        case .extendedDNSError: "EDE"
        default: "OPT\(rawValue)"
        }
    }
}

/// An Extended DNS Error INFO-CODE (RFC 8914 §4, IANA "Extended DNS Error Codes"). Open.
public struct ExtendedDNSErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let other = ExtendedDNSErrorCode(0)
    public static let unsupportedDNSKEYAlgorithm = ExtendedDNSErrorCode(1)
    public static let unsupportedDSDigestType = ExtendedDNSErrorCode(2)
    public static let staleAnswer = ExtendedDNSErrorCode(3)
    public static let forgedAnswer = ExtendedDNSErrorCode(4)
    public static let dnssecIndeterminate = ExtendedDNSErrorCode(5)
    public static let dnssecBogus = ExtendedDNSErrorCode(6)
    public static let signatureExpired = ExtendedDNSErrorCode(7)
    public static let signatureNotYetValid = ExtendedDNSErrorCode(8)
    public static let dnskeyMissing = ExtendedDNSErrorCode(9)
    public static let rrsigsMissing = ExtendedDNSErrorCode(10)
    public static let noZoneKeyBitSet = ExtendedDNSErrorCode(11)
    public static let nsecMissing = ExtendedDNSErrorCode(12)
    public static let cachedError = ExtendedDNSErrorCode(13)
    public static let notReady = ExtendedDNSErrorCode(14)
    public static let blocked = ExtendedDNSErrorCode(15)
    public static let censored = ExtendedDNSErrorCode(16)
    public static let filtered = ExtendedDNSErrorCode(17)
    public static let prohibited = ExtendedDNSErrorCode(18)
    public static let staleNXDOMAINAnswer = ExtendedDNSErrorCode(19)
    public static let notAuthoritative = ExtendedDNSErrorCode(20)
    public static let notSupported = ExtendedDNSErrorCode(21)
    public static let noReachableAuthority = ExtendedDNSErrorCode(22)
    public static let networkError = ExtendedDNSErrorCode(23)
    public static let invalidData = ExtendedDNSErrorCode(24)
    public static let signatureExpiredBeforeValid = ExtendedDNSErrorCode(25)
    public static let tooEarly = ExtendedDNSErrorCode(26)
    public static let unsupportedNSEC3IterationsValue = ExtendedDNSErrorCode(27)
    public static let unableToConformToPolicy = ExtendedDNSErrorCode(28)
    public static let synthesized = ExtendedDNSErrorCode(29)
    public static let invalidQueryType = ExtendedDNSErrorCode(30)

    static let names: [UInt16: String] = [
        0: "Other Error", 1: "Unsupported DNSKEY Algorithm", 2: "Unsupported DS Digest Type",
        3: "Stale Answer", 4: "Forged Answer", 5: "DNSSEC Indeterminate", 6: "DNSSEC Bogus",
        7: "Signature Expired", 8: "Signature Not Yet Valid", 9: "DNSKEY Missing", 10: "RRSIGs Missing",
        11: "No Zone Key Bit Set", 12: "NSEC Missing", 13: "Cached Error", 14: "Not Ready", 15: "Blocked",
        16: "Censored", 17: "Filtered", 18: "Prohibited", 19: "Stale NXDomain Answer",
        20: "Not Authoritative", 21: "Not Supported", 22: "No Reachable Authority", 23: "Network Error",
        24: "Invalid Data", 25: "Signature Expired before Valid", 26: "Too Early",
        27: "Unsupported NSEC3 Iterations Value", 28: "Unable to conform to policy", 29: "Synthesized",
        30: "Invalid Query Type",
    ]

    public var description: String { Self.names[rawValue].map { "\(rawValue) (\($0))" } ?? "\(rawValue)" }
}
