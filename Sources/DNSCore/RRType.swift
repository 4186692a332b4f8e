/// A resource-record TYPE (RFC 1035 §3.2.2, IANA "Resource Record (RR) TYPEs"). Open: any
/// 16-bit value is a type; unknown ones print as `TYPEnnn` (RFC 3597 §5).
public struct RRType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RRType(1)
    public static let ns = RRType(2)
    public static let md = RRType(3)
    public static let mf = RRType(4)
    public static let cname = RRType(5)
    public static let soa = RRType(6)
    public static let mb = RRType(7)
    public static let mg = RRType(8)
    public static let mr = RRType(9)
    public static let null = RRType(10)
    public static let wks = RRType(11)
    public static let ptr = RRType(12)
    public static let hinfo = RRType(13)
    public static let minfo = RRType(14)
    public static let mx = RRType(15)
    public static let txt = RRType(16)
    public static let rp = RRType(17)
    public static let afsdb = RRType(18)
    public static let rt = RRType(21)
    public static let sig = RRType(24)
    public static let key = RRType(25)
    public static let px = RRType(26)
    public static let aaaa = RRType(28)
    public static let nxt = RRType(30)
    public static let srv = RRType(33)
    public static let naptr = RRType(35)
    public static let kx = RRType(36)
    public static let a6 = RRType(38)
    public static let dname = RRType(39)
    public static let opt = RRType(41)
    public static let ds = RRType(43)
    public static let sshfp = RRType(44)
    public static let rrsig = RRType(46)
    public static let nsec = RRType(47)
    public static let dnskey = RRType(48)
    public static let nsec3 = RRType(50)
    public static let nsec3param = RRType(51)
    public static let tlsa = RRType(52)
    public static let smimea = RRType(53)
    public static let cds = RRType(59)
    public static let cdnskey = RRType(60)
    public static let openpgpkey = RRType(61)
    public static let csync = RRType(62)
    public static let zonemd = RRType(63)
    public static let svcb = RRType(64)
    public static let https = RRType(65)
    public static let tkey = RRType(249)
    public static let tsig = RRType(250)
    public static let ixfr = RRType(251)
    public static let axfr = RRType(252)
    public static let any = RRType(255)
    public static let uri = RRType(256)
    public static let caa = RRType(257)

    /// Mnemonics, as IANA spells them.
    public static let mnemonics: [RRType: String] = [
        .a: "A", .ns: "NS", .md: "MD", .mf: "MF", .cname: "CNAME", .soa: "SOA", .mb: "MB", .mg: "MG",
        .mr: "MR", .null: "NULL", .wks: "WKS", .ptr: "PTR", .hinfo: "HINFO", .minfo: "MINFO", .mx: "MX",
        .txt: "TXT", .rp: "RP", .afsdb: "AFSDB", .rt: "RT", .sig: "SIG", .key: "KEY", .px: "PX",
        .aaaa: "AAAA", .nxt: "NXT", .srv: "SRV", .naptr: "NAPTR", .kx: "KX", .a6: "A6", .dname: "DNAME",
        .opt: "OPT", .ds: "DS", .sshfp: "SSHFP", .rrsig: "RRSIG", .nsec: "NSEC", .dnskey: "DNSKEY",
        .nsec3: "NSEC3", .nsec3param: "NSEC3PARAM", .tlsa: "TLSA", .smimea: "SMIMEA", .cds: "CDS",
        .cdnskey: "CDNSKEY", .openpgpkey: "OPENPGPKEY", .csync: "CSYNC", .zonemd: "ZONEMD",
        .svcb: "SVCB", .https: "HTTPS", .tkey: "TKEY", .tsig: "TSIG", .ixfr: "IXFR", .axfr: "AXFR",
        .any: "ANY", .uri: "URI", .caa: "CAA",
    ]
    static let byMnemonic: [String: RRType] = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })

    /// Parses a mnemonic (case-insensitive) or `TYPEnnn` (RFC 3597 §5).
    public init?(mnemonic text: some StringProtocol) {
        let upper = text.uppercased()
        if let known = Self.byMnemonic[upper] { self = known; return }
        guard let value = registryNumber(upper, prefix: "TYPE") else { return nil }
        self.init(value)
    }

    public var description: String { Self.mnemonics[self] ?? "TYPE\(rawValue)" }

    public static func < (lhs: RRType, rhs: RRType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Types whose RDATA names may be compressed when sending (RFC 3597 §4: only the RFC 1035
    /// well-known types; compressing others breaks old receivers).
    public var rdataNamesCompressible: Bool {
        switch self {
        case .ns, .md, .mf, .cname, .soa, .mb, .mg, .mr, .ptr, .minfo, .mx: true
        default: false
        }
    }

    /// Types whose embedded RDATA names are lowercased in canonical form: RFC 4034 §6.2 item 3
    /// as corrected by RFC 6840 §5.1 (NSEC removed, and HINFO holds no names).
    public var rdataNamesLowercasedInCanonicalForm: Bool {
        switch self {
        case .ns, .md, .mf, .cname, .soa, .mb, .mg, .mr, .ptr, .minfo, .mx, .rp, .afsdb, .rt, .sig, .px,
             .nxt, .naptr, .kx, .srv, .dname, .a6, .rrsig:
            true
        default: false
        }
    }

    /// Meta and query-only types (RFC 6895 §3.1), which never appear in a zone.
    public var isMetaType: Bool { (128...255).contains(rawValue) || self == .opt }
}

/// `PREFIXnnn` → nnn, for the RFC 3597 generic mnemonics.
func registryNumber(_ upper: String, prefix: String) -> UInt16? {
    guard upper.hasPrefix(prefix) else { return nil }
    let digits = upper.dropFirst(prefix.count)
    guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return UInt16(digits)
}
