extension RData {
    /// The layout for each type this library knows; every other type is `UnknownRData`
    /// (RFC 3597 §5). One line per type: add a type by adding its layout file and a case here.
    public static func format(for type: RRType) -> (any RDataFormat.Type)? {
        switch type {
        case .a: A.self
        case .ns: NS.self
        case .cname: CNAME.self
        case .soa: SOA.self
        case .ptr: PTR.self
        case .hinfo: HINFO.self
        case .mx: MX.self
        case .txt: TXT.self
        case .aaaa: AAAA.self
        case .srv: SRV.self
        case .dname: DNAME.self
        case .opt: OPT.self
        case .ds, .cds: DS.self
        case .rrsig: RRSIG.self
        case .nsec: NSEC.self
        case .dnskey, .cdnskey: DNSKEY.self
        case .nsec3: NSEC3.self
        case .nsec3param: NSEC3PARAM.self
        case .tlsa, .smimea: TLSA.self
        case .svcb: SVCB.self
        case .https: SVCB.self
        case .caa: CAA.self
        default: nil
        }
    }
}
