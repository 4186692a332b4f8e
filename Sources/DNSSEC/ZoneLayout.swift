import DNSCore

/// A zone's RRsets by owner name, and what each name is: the apex, an authoritative name, a
/// delegation point, or a name below a zone cut or a DNAME whose data is not the zone's
/// (glue, occluded data). RFC 4035 §2.2 signs only authoritative RRsets; §2.3 and RFC 5155 §7.1
/// build denial chains over the authoritative names and delegation points.
struct ZoneLayout {
    enum Role: Hashable {
        case apex
        case authoritative
        /// An NS RRset below the apex: only its DS and NSEC RRsets are the zone's (RFC 4035
        /// §2.2); the NS RRset and any other data there belong to the child.
        case delegation
        /// Below a delegation point (glue) or a DNAME (RFC 6672 §2.3): not the zone's data.
        case occluded
    }

    let apex: DomainName
    /// The RRsets at each name, in the order first seen.
    private(set) var sets: [DomainName: [RRSet]] = [:]
    /// Names below which data is not authoritative: delegation points and DNAME owners.
    private(set) var occluders: Set<DomainName> = []

    init(apex: DomainName, sets rrsets: [RRSet]) {
        self.apex = apex
        for set in rrsets { add(set) }
    }

    mutating func add(_ set: RRSet) {
        sets[set.owner, default: []].append(set)
        if set.type == .dname || (set.type == .ns && set.owner != apex) { occluders.insert(set.owner) }
    }

    /// Replaces (or adds) the RRset of `set`'s owner and type.
    mutating func replace(_ set: RRSet) {
        if let index = sets[set.owner]?.firstIndex(where: { $0.type == set.type }) {
            sets[set.owner]?[index] = set
        } else {
            add(set)
        }
    }

    func set(_ name: DomainName, _ type: RRType) -> RRSet? {
        sets[name]?.first { $0.type == type }
    }

    func types(at name: DomainName) -> [RRType] {
        (sets[name] ?? []).map(\.type)
    }

    /// The types a denial record (NSEC, NSEC3) lists for `name`, of those present: all of them,
    /// but at a delegation point only NS, DS, NSEC and RRSIG, the ones the parent is
    /// authoritative for or must show (RFC 4035 §2.3: bits of other types there MUST be clear).
    func denialTypes(at name: DomainName, role: Role) -> [RRType] {
        let types = self.types(at: name)
        return role == .delegation ? types.filter { [.ns, .ds, .nsec, .rrsig].contains($0) } : types
    }

    func role(of name: DomainName) -> Role {
        if name == apex { return .apex }
        var ancestor = name.parent
        while let current = ancestor, current.isSubdomain(of: apex) {
            if occluders.contains(current) { return .occluded }
            if current == apex { break }
            ancestor = current.parent
        }
        return set(name, .ns) != nil ? .delegation : .authoritative
    }

    /// Every name with data, in canonical order (RFC 4034 §6.1).
    var canonicalNames: [DomainName] {
        Self.canonicalSort(Array(sets.keys))
    }

    /// Canonical order (RFC 4034 §6.1), comparing precomputed keys: each name's labels
    /// lowercased, rightmost first, each octet plus one and each label followed by 0, so that
    /// a label sorts before a longer one it begins, and a name before its descendants.
    static func canonicalSort(_ names: [DomainName]) -> [DomainName] {
        let keyed = names.map { (key: canonicalKey($0), name: $0) }
        return keyed.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.name)
    }

    static func canonicalKey(_ name: DomainName) -> [UInt16] {
        var key: [UInt16] = []
        key.reserveCapacity(name.wire.count + 1)
        for label in name.lowercased.labels.reversed() {
            key.append(contentsOf: label.map { UInt16($0) + 1 })
            key.append(0)
        }
        return key
    }
}
