/// The records sharing owner, class and type (RFC 2181 §5), with the canonical forms DNSSEC
/// signs (RFC 4034 §6).
public struct RRSet: Hashable, Sendable {
    public var owner: DomainName
    public var type: RRType
    public var rrClass: RRClass
    public var ttl: UInt32
    public var rdatas: [RData]

    public init(owner: DomainName, type: RRType, rrClass: RRClass = .internet, ttl: UInt32, rdatas: [RData]) {
        self.owner = owner
        self.type = type
        self.rrClass = rrClass
        self.ttl = ttl
        self.rdatas = rdatas
    }

    /// Groups records into RRsets, keeping the order in which each set first appears. The TTL
    /// of a set is the lowest of its records' (RFC 2181 §5.2 makes differing TTLs an error a
    /// receiver treats this way).
    public static func group(_ records: [ResourceRecord]) -> [RRSet] {
        struct Key: Hashable { var owner: DomainName; var type: RRType; var rrClass: RRClass }
        var order: [Key] = []
        var sets: [Key: RRSet] = [:]
        for record in records {
            let key = Key(owner: record.owner, type: record.type, rrClass: record.rrClass)
            if var set = sets[key] {
                set.rdatas.append(record.rdata)
                set.ttl = min(set.ttl, record.ttl)
                sets[key] = set
            } else {
                order.append(key)
                sets[key] = RRSet(owner: record.owner, type: record.type, rrClass: record.rrClass, ttl: record.ttl, rdatas: [record.rdata])
            }
        }
        return order.compactMap { sets[$0] }
    }

    public var records: [ResourceRecord] {
        rdatas.map { ResourceRecord(owner: owner, rrClass: rrClass, ttl: ttl, rdata: $0) }
    }

    /// The RDATA in canonical order, duplicates removed (RFC 4034 §6.3): sorted as
    /// left-justified unsigned octet sequences of their canonical wire form (§6.2), where a
    /// shorter sequence that is a prefix of a longer one sorts first.
    public var canonicalRDATAWire: [[UInt8]] {
        var seen = Set<[UInt8]>()
        var wires: [[UInt8]] = []
        for rdata in rdatas {
            let wire = rdata.canonicalWire
            if seen.insert(wire).inserted { wires.append(wire) }
        }
        return wires.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The RRs of this set in RFC 4034 §6.2 canonical form and §6.3 order, concatenated, each
    /// with `ttl` (a signer passes the RRSIG Original TTL) and `owner` (a validator passes the
    /// wildcard owner `*.…` reconstructed from the RRSIG Labels field, RFC 4035 §5.3.2):
    /// the "RR(i)" part of the RRSIG signed data (RFC 4034 §3.1.8.1).
    public func canonicalWire(ttl: UInt32? = nil, owner: DomainName? = nil) -> [UInt8] {
        var writer = WireWriter(mode: .canonical, capacity: 256)
        let name = (owner ?? self.owner).lowercased.wire
        let ttl = ttl ?? self.ttl
        for rdata in canonicalRDATAWire {
            writer.write(bytes: name)
            writer.write(type.rawValue)
            writer.write(rrClass.rawValue)
            writer.write(ttl)
            writer.write(UInt16(rdata.count))
            writer.write(bytes: rdata)
        }
        return writer.bytes
    }
}

extension ResourceRecord {
    /// This record in RFC 4034 §6.2 canonical wire form.
    public var canonicalWire: [UInt8] {
        var writer = WireWriter(mode: .canonical, capacity: 64)
        encode(to: &writer)
        return writer.bytes
    }

    /// Canonical zone order: owner names by RFC 4034 §6.1, then type, then canonical RDATA
    /// (§6.3) — the order NSEC chains and `ldns-read-zone -z` use.
    public static func canonicalOrder(_ lhs: ResourceRecord, _ rhs: ResourceRecord) -> Bool {
        let byName = DomainName.canonicalCompare(lhs.owner, rhs.owner)
        if byName != 0 { return byName < 0 }
        if lhs.type != rhs.type { return lhs.type < rhs.type }
        if lhs.rrClass != rhs.rrClass { return lhs.rrClass.rawValue < rhs.rrClass.rawValue }
        return lhs.rdata.canonicalWire.lexicographicallyPrecedes(rhs.rdata.canonicalWire)
    }
}
