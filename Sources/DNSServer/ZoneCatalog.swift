import DNSCore
import DNSZoneFile

/// The zones a server is authoritative for, and the fault plan the lab puts on them.
///
/// A query goes to the zone whose origin is the longest match for its QNAME (RFC 1034 §4.3.2
/// step 2, "the nearest ancestor to QNAME" among the zones held); a QNAME outside every zone
/// is REFUSED.
public struct ZoneCatalog: Sendable {
    public private(set) var zones: [DomainName: Zone] = [:]
    /// Faults to inject into answers (the lab's broken scenarios); empty by default.
    public var faults: FaultPlan

    public init(zones: [Zone] = [], faults: FaultPlan = FaultPlan()) throws(ZoneLoadError) {
        self.faults = faults
        for zone in zones { try add(zone) }
    }

    public mutating func add(_ zone: Zone) throws(ZoneLoadError) {
        guard zones[zone.origin] == nil else {
            throw ZoneLoadError(.duplicateZone, zone: zone.origin, "the catalog already holds this zone")
        }
        zones[zone.origin] = zone
    }

    /// The zone with the longest origin that `name` is at or below.
    public func zone(for name: DomainName) -> Zone? {
        if zones.isEmpty { return nil }
        var candidate: DomainName? = name
        while let current = candidate {
            if let zone = zones[current] { return zone }
            candidate = current.parent
        }
        return nil
    }

    /// Loads every source, signing each with `signing` where the source asks for it.
    public static func load(_ sources: [ZoneSource], signing: (any ZoneSigningStep)? = nil,
                            faults: FaultPlan = FaultPlan()) throws(ZoneLoadError) -> ZoneCatalog {
        var catalog = try ZoneCatalog(faults: faults)
        for source in sources {
            try catalog.add(try source.load(signing: source.sign ? signing : nil))
        }
        return catalog
    }
}

/// A zone file to serve: the path, its origin (else the file's `$ORIGIN` or SOA owner), and
/// whether the catalog's signing step should sign it.
public struct ZoneSource: Sendable, Hashable {
    public var path: String
    public var origin: DomainName?
    public var sign: Bool

    public init(path: String, origin: DomainName? = nil, sign: Bool = false) {
        self.path = path
        self.origin = origin
        self.sign = sign
    }

    /// Parses the file (`DNSZoneFile`) and builds the zone; any zone-file error fails the load
    /// (a server does not serve half a zone).
    public func load(signing: (any ZoneSigningStep)? = nil) throws(ZoneLoadError) -> Zone {
        let result = ZoneFileLoader.parse(file: path, origin: origin)
        if let first = result.errors.first {
            let more = result.errors.count > 1 ? " (and \(result.errors.count - 1) more)" : ""
            throw ZoneLoadError(.file, zone: origin, "\(first)\(more)")
        }
        guard let apex = origin ?? result.records.first(where: { $0.type == .soa })?.owner ?? result.origin else {
            throw ZoneLoadError(.noOrigin, zone: nil, "\(path): no origin given and no SOA record to take it from")
        }
        var records = result.records
        if let signing {
            do {
                records = try signing.sign(records, origin: apex)
            } catch {
                throw ZoneLoadError(.signing, zone: apex, "signing failed: \(error)")
            }
        }
        return try Zone(origin: apex, records: records)
    }
}
