import DNSCore

extension ZoneChainCheck {
    /// RFC 5155 §7.1, as a check:
    /// - an NSEC3PARAM at the apex (step 8), and every NSEC3 with its hash algorithm,
    ///   iterations and salt (step 1), owned by one base32hex label of a SHA-1 hash right
    ///   below the apex (§3);
    /// - one NSEC3 per hash (step 6), each naming the next hash, the last the first (step 7);
    /// - an NSEC3 for every authoritative name and delegation point (step 2) and every empty
    ///   non-terminal (step 4), with the types at the original name, never NSEC3 (step 3);
    ///   an insecure delegation, or an empty non-terminal above insecure delegations only, may
    ///   instead be covered by an NSEC3 with the Opt-Out flag (§6);
    /// - no NSEC3 that matches no name.
    func checkNSEC3(_ layout: ZoneLayout, names: [DomainName], nsec3Owners: [DomainName], param: NSEC3PARAM, paramPresent: Bool) -> Report {
        var findings: [Finding] = []
        func report(_ owner: DomainName, _ code: ValidationReason.Code, _ rule: String, _ detail: String) {
            findings.append(Finding(owner: owner, reason: ValidationReason(code, rule: rule, detail, ede: .dnssecBogus)))
        }
        if !paramPresent {
            report(apex, .denialMissing, "RFC 5155 §7.1", "NSEC3 records but no NSEC3PARAM at the apex")
        }
        guard param.hashAlgorithm == .sha1 else {
            report(apex, .malformed, "RFC 5155 §11", "NSEC3 hash algorithm \(param.hashAlgorithm.rawValue) is not SHA-1 (1), the only one defined")
            return Report(chain: .nsec3(param), recordCount: 0, findings: findings)
        }

        // The chain: NSEC3 records with the parameters, by hash.
        var chain: [(hash: [UInt8], owner: DomainName, nsec3: NSEC3)] = []
        var count = 0
        for owner in nsec3Owners {
            guard let set = layout.set(owner, .nsec3) else { continue }
            count += set.rdatas.count
            guard owner.parent == apex, let label = owner.labels.first, let hash = Base32Hex.decode(label), hash.count == 20 else {
                report(owner, .malformed, "RFC 5155 §3", "NSEC3 owner \(owner) is not one base32hex SHA-1 hash label below \(apex)")
                continue
            }
            let nsec3s = set.rdatas.compactMap { $0.as(NSEC3.self) }
            if nsec3s.count > 1 { report(owner, .denialInvalid, "RFC 5155 §7.1", "\(nsec3s.count) NSEC3 records at \(owner), not one") }
            guard let nsec3 = nsec3s.first else { continue }
            guard nsec3.hashAlgorithm == param.hashAlgorithm, nsec3.iterations == param.iterations, nsec3.salt == param.salt else {
                report(owner, .denialInvalid, "RFC 5155 §7.1",
                       "NSEC3 at \(owner) has algorithm \(nsec3.hashAlgorithm.rawValue), \(nsec3.iterations) iterations, salt \(Self.saltText(nsec3.salt)); the zone's NSEC3PARAM has \(param.hashAlgorithm.rawValue), \(param.iterations), \(Self.saltText(param.salt))")
                continue
            }
            chain.append((hash, owner, nsec3))
        }
        chain.sort { $0.hash.lexicographicallyPrecedes($1.hash) }
        for (index, link) in chain.enumerated() {
            let next = chain[(index + 1) % chain.count].hash
            if link.nsec3.nextHashedOwnerName != next {
                report(link.owner, .denialInvalid, "RFC 5155 §7.1",
                       "NSEC3 at \(link.owner) names \(Base32Hex.encode(link.nsec3.nextHashedOwnerName, uppercase: false)) as next; the next hash in the chain is \(Base32Hex.encode(next, uppercase: false))")
            }
        }

        // The names the chain must cover, and the empty non-terminals above them; for each,
        // whether only insecure delegations need it (then Opt-Out may leave it out).
        var originals: [DomainName] = []
        var optional: [DomainName: Bool] = [:]
        for name in names {
            let role = layout.role(of: name)
            if role == .occluded { continue }
            // NSEC3 owners (and RRSIGs left at one whose NSEC3 is gone) are no original names.
            if layout.types(at: name).allSatisfy({ $0 == .nsec3 || $0 == .rrsig }) { continue }
            let insecure = role == .delegation && layout.set(name, .ds) == nil
            originals.append(name)
            optional[name] = insecure
        }
        var ents: [DomainName] = []
        for name in originals {
            let insecure = optional[name] ?? false
            var ancestor = name.parent
            while let current = ancestor, current != apex, current.isSubdomain(of: apex) {
                if let known = optional[current] {
                    if !insecure && known && layout.sets[current] == nil { optional[current] = false }
                } else {
                    optional[current] = insecure
                    ents.append(current)
                }
                ancestor = current.parent
            }
        }

        let hasher = NSEC3Hasher(salt: param.salt, iterations: param.iterations)
        let hashes = chain.map(\.hash)
        var matched = [Bool](repeating: false, count: chain.count)
        for name in originals + ZoneLayout.canonicalSort(ents) {
            let hash = hasher.hash(name)
            let isENT = layout.sets[name] == nil
            let position = Self.lowerBound(hash, in: hashes)
            if position < hashes.count, hashes[position] == hash {
                matched[position] = true
                let expected = TypeBitmap(layout.denialTypes(at: name, role: layout.role(of: name)).filter { $0 != .nsec3 })
                let found = chain[position].nsec3.types
                if found != expected {
                    report(chain[position].owner, .denialInvalid, "RFC 5155 §7.1",
                           "NSEC3 bitmap for \(name) \(Self.describeDifference(found: found, expected: expected))")
                }
                continue
            }
            if optional[name] == true, !chain.isEmpty {
                let covering = chain[(position + chain.count - 1) % chain.count]
                if covering.nsec3.isOptOut { continue }
                report(name, .denialMissing, "RFC 5155 §6",
                       "insecure delegation\(isENT ? "s below" : "") \(name) not in the NSEC3 chain, and the NSEC3 covering it (\(covering.owner)) has no Opt-Out flag")
                continue
            }
            report(name, .denialMissing, "RFC 5155 §7.1",
                   "no NSEC3 for \(isENT ? "the empty non-terminal " : "")\(name) (hash \(Base32Hex.encode(hash, uppercase: false)))")
        }
        for (index, link) in chain.enumerated() where !matched[index] {
            report(link.owner, .denialInvalid, "RFC 5155 §7.1", "NSEC3 at \(link.owner) is the hash of no name in the zone")
        }
        return Report(chain: .nsec3(param), recordCount: count, findings: findings)
    }

    /// The index of the first hash not less than `hash`.
    static func lowerBound(_ hash: [UInt8], in hashes: [[UInt8]]) -> Int {
        var low = 0, high = hashes.count
        while low < high {
            let mid = (low + high) / 2
            if hashes[mid].lexicographicallyPrecedes(hash) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    static func saltText(_ salt: [UInt8]) -> String {
        salt.isEmpty ? "-" : Base16.encode(salt, uppercase: false)
    }
}
