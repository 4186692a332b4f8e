import DNSCore

extension ZoneSigner {
    /// The NSEC chain (RFC 4035 §2.3, RFC 4034 §4.1): one NSEC at every authoritative name and
    /// delegation point (not at glue, not at empty non-terminals), each naming the next in
    /// canonical order (RFC 4034 §6.1), the last the apex; its bitmap has the types at the
    /// name plus NSEC and RRSIG (every NSEC is signed). Returns the number of records.
    func addNSECChain(to layout: inout ZoneLayout, ttl: UInt32) -> Int {
        let names = layout.canonicalNames.filter { layout.role(of: $0) != .occluded }
        for (index, name) in names.enumerated() {
            let next = names[(index + 1) % names.count]
            var types = layout.denialTypes(at: name, role: layout.role(of: name))
            types += [.nsec, .rrsig]
            let nsec = NSEC(nextDomainName: next, types: TypeBitmap(types))
            layout.add(RRSet(owner: name, type: .nsec, ttl: ttl, rdatas: [RData(nsec)]))
        }
        return names.count
    }

    /// The NSEC3 chain (RFC 5155 §7.1), steps in its order:
    /// 2. an NSEC3 for every authoritative name and delegation point, but with Opt-Out not for
    ///    insecure delegations (those without DS);
    /// 3. its bitmap: the types at the original name (`ZoneLayout.denialTypes`),
    ///    with RRSIG when something there is signed, never NSEC3 itself;
    /// 4. an NSEC3 with an empty bitmap for every empty non-terminal between the apex and those
    ///    names (so none derived only from an opted-out delegation);
    /// 5.–7. sorted in hash order, each naming the next hash, the last the first; the
    ///    Opt-Out flag on all when opting out;
    /// 8. the NSEC3PARAM at the apex (added first here, so the apex bitmap shows it).
    /// Returns the number of NSEC3 records.
    func addNSEC3Chain(to layout: inout ZoneLayout, _ parameters: ZoneSigningOptions.NSEC3Parameters, ttl: UInt32) throws(ZoneSigningError) -> Int {
        let param = NSEC3PARAM(hashAlgorithm: .sha1, flags: 0, iterations: parameters.iterations, salt: parameters.salt)
        layout.add(RRSet(owner: apex, type: .nsec3param, ttl: ttl, rdatas: [RData(param)]))

        var originals: [DomainName] = []
        var seen = Set<DomainName>()
        for name in layout.sets.keys {
            switch layout.role(of: name) {
            case .occluded: continue
            case .delegation where parameters.optOut && layout.set(name, .ds) == nil: continue
            default: if seen.insert(name).inserted { originals.append(name) }
            }
        }
        for name in originals {
            var ancestor = name.parent
            while let current = ancestor, current != apex, current.isSubdomain(of: apex), seen.insert(current).inserted {
                originals.append(current)
                ancestor = current.parent
            }
        }

        let hasher = NSEC3Hasher(salt: parameters.salt, iterations: parameters.iterations)
        var entries: [(hash: [UInt8], name: DomainName, types: TypeBitmap)] = []
        entries.reserveCapacity(originals.count)
        for name in originals {
            let role = layout.role(of: name)
            var types = layout.denialTypes(at: name, role: role)
            if !types.isEmpty, role != .delegation || types.contains(.ds) { types.append(.rrsig) }
            entries.append((hasher.hash(name), name, TypeBitmap(types)))
        }
        entries.sort { $0.hash.lexicographicallyPrecedes($1.hash) }

        let flags: UInt8 = parameters.optOut ? NSEC3.optOutFlag : 0
        for (index, entry) in entries.enumerated() {
            let next = entries[(index + 1) % entries.count]
            if next.hash == entry.hash, entries.count > 1 {
                throw ZoneSigningError(.hashCollision, "\(entry.name) and \(next.name) have the same NSEC3 hash; choose another salt")
            }
            let owner: DomainName
            do {
                owner = try NSEC3Hasher.owner(forHash: entry.hash, zone: apex)
            } catch {
                throw ZoneSigningError(.badNSEC3Parameters, "the hashed owner name is too long for \(apex): \(error)")
            }
            let nsec3 = NSEC3(hashAlgorithm: .sha1, flags: flags, iterations: parameters.iterations, salt: parameters.salt,
                              nextHashedOwnerName: next.hash, types: entry.types)
            layout.add(RRSet(owner: owner, type: .nsec3, ttl: ttl, rdatas: [RData(nsec3)]))
        }
        return entries.count
    }
}
