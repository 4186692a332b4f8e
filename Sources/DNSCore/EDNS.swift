/// The EDNS(0) parameters a message's OPT pseudo-record carries (RFC 6891 §6.1.3): the OPT
/// owner is the root, CLASS is the requestor's UDP payload size, TTL holds the extended
/// RCODE bits, the version and the flags (DO is the top flag bit, RFC 3225 §3).
public struct EDNS: Hashable, Sendable {
    public var udpPayloadSize: UInt16
    public var version: UInt8
    public var dnssecOK: Bool
    /// The other 15 flag bits, as received (must be zero when sent, RFC 6891 §6.1.4).
    public var otherFlags: UInt16
    public var options: [EDNSOption]

    /// The 1,232-octet default of DNS Flag Day 2020.
    public init(udpPayloadSize: UInt16 = 1232, version: UInt8 = 0, dnssecOK: Bool = false, otherFlags: UInt16 = 0, options: [EDNSOption] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.version = version
        self.dnssecOK = dnssecOK
        self.otherFlags = otherFlags
        self.options = options
    }

    /// Every Extended DNS Error among the options (RFC 8914 allows several).
    public var extendedDNSErrors: [ExtendedDNSError] { options.compactMap(\.extendedDNSError) }

    /// The OPT record for a message with full RCODE `rcode`.
    func record(rcode: RCode) -> ResourceRecord {
        var ttl = UInt32(rcode.extendedBits) << 24 | UInt32(version) << 16
        ttl |= UInt32(otherFlags & 0x7FFF)
        if dnssecOK { ttl |= 0x8000 }
        return ResourceRecord(owner: .root, rrClass: RRClass(udpPayloadSize), ttl: ttl, rdata: RData(OPT(options: options)))
    }

    /// Reads the OPT record; returns the EDNS values and the extended RCODE bits.
    init(record: ResourceRecord, at offset: Int) throws(DNSWireError) {
        guard record.owner.isRoot else { throw DNSWireError(.badOPT, at: offset, "OPT owner is \(record.owner), not the root") }
        guard let opt = record.rdata.as(OPT.self) else { throw DNSWireError(.badOPT, at: offset) }
        udpPayloadSize = record.rrClass.rawValue
        version = UInt8((record.ttl >> 16) & 0xFF)
        dnssecOK = record.ttl & 0x8000 != 0
        otherFlags = UInt16(record.ttl & 0x7FFF)
        options = opt.options
    }
}
