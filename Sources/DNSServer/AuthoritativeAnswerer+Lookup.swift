import DNSCore

extension AuthoritativeAnswerer {
    /// One query's walk through one zone: RFC 1034 §4.3.2 steps 3 and 4 (the zone cut,
    /// exact match, CNAME, wildcard and name-error branches) with RFC 6672 §3.2 for DNAME and
    /// the DNSSEC records RFC 4035 §3.1 adds when DO is set. Fills a `ResponseDraft`.
    struct Lookup {
        let zone: Zone
        let qtype: RRType
        let dnssec: Bool
        let configuration: Configuration
        var draft = ResponseDraft()
        /// Names whose addresses go in the additional section, in order, and whether required.
        var additionalTargets: [(name: DomainName, required: Bool)] = []

        init(zone: Zone, qtype: RRType, dnssec: Bool, configuration: Configuration) {
            self.zone = zone
            self.qtype = qtype
            self.dnssec = dnssec
            self.configuration = configuration
        }

        /// Where a name leads in the zone (RFC 1034 §4.3.2 step 3).
        enum Match {
            /// The name is at or below a zone cut (and is not a DS query at the cut itself).
            case delegation(cut: DomainName)
            /// A DNAME at a proper ancestor of the name (RFC 6672 §3.2).
            case dname(owner: DomainName, record: ResourceRecord)
            /// The name exists (the node may be an empty non-terminal).
            case exact(ZoneNode)
            /// The name does not exist, but `*.closestEncloser` does (RFC 4592 §3.3.1).
            case wildcard(closestEncloser: DomainName, source: ZoneNode)
            /// The name does not exist and no wildcard applies.
            case nameError(closestEncloser: DomainName)
        }

        /// What one step of the walk asks next.
        enum Next {
            case done
            /// Restart at this name (a CNAME target or DNAME-synthesized name), RFC 1034
            /// §4.3.2 step 3.a and RFC 6672 §3.2.
            case follow(DomainName)
        }

        func match(_ name: DomainName) -> Match {
            let base = zone.origin.labelCount
            let total = name.labelCount
            var encloser = zone.origin
            for count in base...total {
                let current = count == total ? name : name.suffix(labelCount: count)
                guard let node = zone.node(current) else {
                    if let star = try? encloser.prepending(label: [UInt8(ascii: "*")]), let source = zone.node(star) {
                        return .wildcard(closestEncloser: encloser, source: source)
                    }
                    return .nameError(closestEncloser: encloser)
                }
                if count > base, node.has(.ns), !(count == total && qtype == .ds) {
                    return .delegation(cut: current)
                }
                if count < total, let dname = node.rrsets[.dname]?.first {
                    return .dname(owner: current, record: dname)
                }
                encloser = current
            }
            guard let node = zone.node(name) else { return .nameError(closestEncloser: encloser) }
            return .exact(node)
        }

        /// Answers for `qname`, following CNAMEs and DNAMEs within the zone. The RCODE is that of
        /// the last name looked up (RFC 6604 §2.1); AA stays set for a chain that began with
        /// authoritative data (RFC 6604 §2.1, first owner).
        mutating func resolve(_ qname: DomainName) {
            walk(qname)
            addAdditionalAddresses()
        }

        private mutating func walk(_ qname: DomainName) {
            var name = qname
            var visited: Set<DomainName> = [qname]
            for _ in 0...configuration.maxChainLength {
                switch step(name) {
                case .done:
                    return
                case .follow(let target):
                    // A chain that leaves the zone (or loops) ends with the CNAMEs alone, no
                    // authority data, as NSD answers it: the rest is another server's.
                    guard target.isSubdomain(of: zone.origin), visited.insert(target).inserted else { return }
                    name = target
                }
            }
        }

        mutating func step(_ name: DomainName) -> Next {
            switch match(name) {
            case .delegation(let cut):
                addReferral(cut)
                return .done
            case .dname(let owner, let record):
                return synthesizeFromDNAME(name, owner: owner, record: record)
            case .exact(let node):
                return answerExact(name, node: node)
            case .wildcard(let closestEncloser, let source):
                return answerWildcard(name, closestEncloser: closestEncloser, source: source)
            case .nameError(let closestEncloser):
                draft.rcode = .nxDomain
                addNegativeSOA()
                if dnssec { addNameErrorProof(name, closestEncloser: closestEncloser) }
                return .done
            }
        }

        // MARK: exact match (RFC 1034 §4.3.2 step 3.a)

        mutating func answerExact(_ name: DomainName, node: ZoneNode) -> Next {
            draft.rcode = .noError
            if qtype == .any {
                guard let first = node.types.first else { return noData(name, node: node) }
                addMinimalANY(node, first, owner: name)
                return .done
            }
            if qtype == .rrsig {
                let signatures = node.allSignatures
                guard !signatures.isEmpty else { return noData(name, node: node) }
                draft.add(signatures, to: .answer, required: true)
                addPositiveAuthority()
                return .done
            }
            if node.has(qtype) {
                addAnswer(node, qtype, owner: name)
                addPositiveAuthority()
                return .done
            }
            if let cname = node.rrsets[.cname], let target = cname.first?.rdata.as(CNAME.self)?.target {
                addAnswer(node, .cname, owner: name)
                return .follow(target)
            }
            return noData(name, node: node)
        }

        /// QTYPE=ANY gets one RRset, the one of the lowest type, with its RRSIGs and nothing
        /// else (RFC 8482 §4.2, as NSD answers).
        mutating func addMinimalANY(_ node: ZoneNode, _ type: RRType, owner: DomainName) {
            guard let records = node.rrsets[type] else { return }
            draft.add(records.map { renamed($0, owner) }, to: .answer, required: true)
            addSignatures(node, type, owner: owner, to: .answer, required: true)
        }

        mutating func noData(_ name: DomainName, node: ZoneNode) -> Next {
            addNegativeSOA()
            if dnssec { addNoDataProof(name, node: node) }
            return .done
        }

        // MARK: wildcards (RFC 4592 §3.3.1, RFC 4035 §3.1.3.3–3.1.3.4, RFC 5155 §7.2.5–7.2.6)

        mutating func answerWildcard(_ name: DomainName, closestEncloser: DomainName, source: ZoneNode) -> Next {
            draft.rcode = .noError
            if qtype == .any, let first = source.types.first {
                addMinimalANY(source, first, owner: name)
                if dnssec { addWildcardAnswerProof(name, closestEncloser: closestEncloser) }
                return .done
            }
            if source.has(qtype) {
                addAnswer(source, qtype, owner: name)
                if dnssec { addWildcardAnswerProof(name, closestEncloser: closestEncloser) }
                addPositiveAuthority()
                return .done
            }
            if let target = source.rrsets[.cname]?.first?.rdata.as(CNAME.self)?.target {
                addAnswer(source, .cname, owner: name)
                if dnssec { addWildcardAnswerProof(name, closestEncloser: closestEncloser) }
                return .follow(target)
            }
            addNegativeSOA()
            if dnssec { addWildcardNoDataProof(name, closestEncloser: closestEncloser, source: source) }
            return .done
        }

        // MARK: DNAME (RFC 6672 §3.2)

        /// The DNAME RRset (and its RRSIGs) goes in the answer, followed by a CNAME from the
        /// query name to the name with the DNAME owner replaced by its target, with the DNAME's
        /// TTL and unsigned (RFC 6672 §3.2, §5.3.1). A result longer than 255 octets is
        /// YXDOMAIN (RFC 6672 §2.2).
        mutating func synthesizeFromDNAME(_ name: DomainName, owner: DomainName, record: ResourceRecord) -> Next {
            guard let node = zone.node(owner), let target = record.rdata.as(DNAME.self)?.target else { return .done }
            draft.rcode = .noError
            addAnswer(node, .dname, owner: owner)
            let keep = name.labelCount - owner.labelCount
            guard let synthesized = try? DomainName(labels: Array(name.labels.prefix(keep)) + target.labels) else {
                draft.rcode = .yxDomain
                return .done
            }
            let cname = ResourceRecord(owner: name, rrClass: record.rrClass, ttl: record.ttl, CNAME(synthesized))
            draft.add([cname], to: .answer, required: true)
            return .follow(synthesized)
        }

        // MARK: referrals (RFC 1034 §4.3.2 step 3.b, RFC 4035 §3.1.4)

        /// NS of the cut in the authority section, AA clear (unless an answer already came from
        /// this zone, as at the end of a CNAME chain); with DO the signed DS RRset, or the
        /// NSEC/NSEC3 proof that there is none (RFC 4035 §3.1.4, RFC 5155 §7.2.7); the
        /// addresses of the name servers as glue in the additional section (RFC 9471 §3:
        /// in-domain glue is required, so its absence sets TC).
        mutating func addReferral(_ cut: DomainName) {
            guard let node = zone.node(cut), let ns = node.rrsets[.ns] else { return }
            draft.rcode = .noError
            if draft.answer.isEmpty { draft.authoritative = false }
            draft.add(ns, to: .authority, required: true)
            if dnssec {
                if let ds = node.rrsets[.ds] {
                    draft.add(ds, to: .authority, required: true)
                    addSignatures(node, .ds, owner: cut, to: .authority, required: true)
                } else {
                    addNoDSProof(cut, node: node)
                }
            }
            for target in ns.compactMap({ $0.rdata.as(NS.self)?.target }) {
                addAddresses(of: target, required: target.isSubdomain(of: cut))
            }
        }

        // MARK: sections

        mutating func addAnswer(_ node: ZoneNode, _ type: RRType, owner: DomainName) {
            guard let records = node.rrsets[type] else { return }
            draft.add(records.map { renamed($0, owner) }, to: .answer, required: true)
            addSignatures(node, type, owner: owner, to: .answer, required: true)
            for record in records { addAdditional(for: record) }
        }

        mutating func addSignatures(_ node: ZoneNode, _ type: RRType, owner: DomainName, to section: ResponseDraft.Section, required: Bool) {
            guard dnssec, let signatures = node.signatures[type] else { return }
            draft.add(signatures.map { renamed($0, owner) }, to: section, required: required)
        }

        /// The apex NS RRset in the authority section of a positive answer (RFC 1034 §4.3.2
        /// step 6; RFC 4035 App. B.1), optional, unless the answer already holds it. Not for
        /// DNSKEY and DS answers, as NSD does: validators fetch those for every chain, so they
        /// stay small.
        mutating func addPositiveAuthority() {
            guard !configuration.minimalResponses, qtype != .dnskey, qtype != .ds, draft.rcode == .noError, !draft.answer.isEmpty,
                  !draft.contains(owner: zone.origin, type: .ns, in: .answer),
                  let apex = zone.node(zone.origin), let ns = apex.rrsets[.ns] else { return }
            draft.add(ns, to: .authority, required: false)
            addSignatures(apex, .ns, owner: zone.origin, to: .authority, required: false)
            for record in ns { addAdditional(for: record) }
        }

        /// Additional section processing (RFC 1034 §3.6.2, RFC 1035 §3.3.9/§3.3.11, RFC 2782):
        /// the addresses of NS, MX and SRV targets held in this zone.
        mutating func addAdditional(for record: ResourceRecord) {
            let target: DomainName?
            switch record.type {
            case .ns: target = record.rdata.as(NS.self)?.target
            case .mx: target = record.rdata.as(MX.self)?.exchange
            case .srv: target = record.rdata.as(SRV.self)?.target
            default: target = nil
            }
            guard let target, !configuration.minimalResponses else { return }
            addAddresses(of: target, required: false)
        }

        mutating func addAddresses(of target: DomainName, required: Bool) {
            guard target.isSubdomain(of: zone.origin) else { return }
            additionalTargets.append((target, required))
        }

        /// The A then the AAAA RRsets of the additional targets (required ones first): NSD's
        /// order, so that when space runs out the IPv6 addresses go first.
        mutating func addAdditionalAddresses() {
            let ordered = additionalTargets.filter(\.required) + additionalTargets.filter { !$0.required }
            for type in [RRType.a, .aaaa] {
                for (target, required) in ordered {
                    guard let node = zone.node(target), let records = node.rrsets[type],
                          !draft.contains(owner: target, type: type, in: .answer) else { continue }
                    draft.add(records, to: .additional, required: required)
                    addSignatures(node, type, owner: target, to: .additional, required: required)
                }
            }
        }

        /// The SOA of a negative answer (RFC 2308 §3), with its RRSIGs when DO is set.
        mutating func addNegativeSOA() {
            let (soa, signatures) = zone.negativeSOA
            draft.add(soa, to: .authority, required: true)
            if dnssec, !signatures.isEmpty { draft.add(signatures, to: .authority, required: true) }
        }

        /// A record with its owner replaced (wildcard synthesis, RFC 4592 §3.3.1: the owner of
        /// a synthesized RR is the query name).
        func renamed(_ record: ResourceRecord, _ owner: DomainName) -> ResourceRecord {
            guard record.owner != owner else { return record }
            var copy = record
            copy.owner = owner
            return copy
        }
    }
}
