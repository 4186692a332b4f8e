import DNSCore

/// Checks a signed zone's denial-of-existence chain as a whole — what `ldns-verify-zone` and
/// `dnssec-verify` check besides signatures: that the NSEC chain (RFC 4035 §2.3) or the NSEC3
/// chain (RFC 5155 §7.1) is complete, in order, closed, and that each bitmap lists the types
/// present. Signatures over the chain's records are `ZoneSignatureCheck`'s business.
public struct ZoneChainCheck: Sendable {
    public enum Chain: Hashable, Sendable {
        /// Neither NSEC nor NSEC3 records.
        case none
        case nsec
        /// The NSEC3 chain of these parameters (the apex NSEC3PARAM's, or the first NSEC3's
        /// when there is no NSEC3PARAM).
        case nsec3(NSEC3PARAM)
    }

    /// One thing wrong, at one owner name.
    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        public var owner: DomainName
        public var reason: ValidationReason

        public var description: String { "\(owner): \(reason)" }
    }

    public struct Report: Hashable, Sendable {
        public var chain: Chain
        /// NSEC or NSEC3 records looked at.
        public var recordCount: Int
        public var findings: [Finding]

        public var isComplete: Bool { findings.isEmpty }
    }

    public var apex: DomainName

    public init(apex: DomainName) { self.apex = apex }

    public func check(_ records: [ResourceRecord]) -> Report {
        let layout = ZoneLayout(apex: apex, sets: RRSet.group(records.filter { $0.owner.isSubdomain(of: apex) }))
        let names = layout.canonicalNames
        let params = layout.set(apex, .nsec3param)?.rdatas.compactMap { $0.as(NSEC3PARAM.self) } ?? []
        let nsec3Owners = names.filter { layout.set($0, .nsec3) != nil }
        if let param = params.first(where: { $0.flags == 0 }) ?? params.first {
            return checkNSEC3(layout, names: names, nsec3Owners: nsec3Owners, param: param, paramPresent: true)
        }
        if let first = nsec3Owners.first.flatMap({ layout.set($0, .nsec3)?.rdatas.first?.as(NSEC3.self) }) {
            let param = NSEC3PARAM(hashAlgorithm: first.hashAlgorithm, flags: 0, iterations: first.iterations, salt: first.salt)
            return checkNSEC3(layout, names: names, nsec3Owners: nsec3Owners, param: param, paramPresent: false)
        }
        if names.contains(where: { layout.set($0, .nsec) != nil }) {
            return checkNSEC(layout, names: names)
        }
        let finding = Finding(owner: apex, reason: ValidationReason(
            .denialMissing, rule: "RFC 4035 §2.3", "no NSEC or NSEC3 records: the zone cannot prove that a name or type does not exist"))
        return Report(chain: .none, recordCount: 0, findings: [finding])
    }

    static func describeDifference(found: TypeBitmap, expected: TypeBitmap) -> String {
        let missing = expected.types.filter { !found.contains($0) }.map(\.description)
        let extra = found.types.filter { !expected.contains($0) }.map(\.description)
        var parts: [String] = []
        if !missing.isEmpty { parts.append("lacks \(missing.joined(separator: " "))") }
        if !extra.isEmpty { parts.append("lists absent \(extra.joined(separator: " "))") }
        return parts.joined(separator: " and ")
    }

    // MARK: NSEC

    /// RFC 4035 §2.3: every authoritative name and delegation point has exactly one NSEC, whose
    /// next name is the following such name in canonical order (RFC 4034 §6.1), the last one's
    /// the apex (RFC 4034 §4.1.1), and whose bitmap lists exactly the types there (RFC 4034
    /// §4.1.2). No NSEC at glue or occluded names.
    func checkNSEC(_ layout: ZoneLayout, names: [DomainName]) -> Report {
        var findings: [Finding] = []
        func report(_ owner: DomainName, _ code: ValidationReason.Code, _ rule: String, _ detail: String) {
            findings.append(Finding(owner: owner, reason: ValidationReason(code, rule: rule, detail, ede: .dnssecBogus)))
        }
        let chain = names.filter { layout.role(of: $0) != .occluded }
        var count = 0
        for (index, name) in chain.enumerated() {
            let next = chain[(index + 1) % chain.count]
            guard let set = layout.set(name, .nsec) else {
                report(name, .denialMissing, "RFC 4035 §2.3", "no NSEC record at \(name)")
                continue
            }
            count += set.rdatas.count
            if set.rdatas.count > 1 { report(name, .denialInvalid, "RFC 4035 §2.3", "\(set.rdatas.count) NSEC records at \(name), not one") }
            guard let nsec = set.rdatas.first?.as(NSEC.self) else { continue }
            if nsec.nextDomainName != next {
                report(name, .denialInvalid, "RFC 4034 §4.1.1",
                       "NSEC at \(name) names \(nsec.nextDomainName) as next; the next name in canonical order is \(next)")
            }
            let expected = TypeBitmap(layout.denialTypes(at: name, role: layout.role(of: name)))
            if nsec.types != expected {
                report(name, .denialInvalid, "RFC 4034 §4.1.2",
                       "NSEC bitmap at \(name) \(Self.describeDifference(found: nsec.types, expected: expected))")
            }
        }
        for name in names where layout.role(of: name) == .occluded && layout.set(name, .nsec) != nil {
            count += 1
            report(name, .denialInvalid, "RFC 4035 §2.3", "NSEC at \(name), which is below a zone cut or DNAME")
        }
        return Report(chain: .nsec, recordCount: count, findings: findings)
    }
}
