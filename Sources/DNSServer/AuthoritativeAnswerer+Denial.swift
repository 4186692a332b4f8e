import DNSCore

/// Proofs of non-existence for DO queries: NSEC (RFC 4035 §3.1.3) or NSEC3 (RFC 5155 §7.2),
/// whichever the zone is signed with; nothing for an unsigned zone.
extension AuthoritativeAnswerer.Lookup {
    /// Name error. NSEC (RFC 4035 §3.1.3.2): the NSEC covering the QNAME and the NSEC
    /// covering the wildcard at the closest encloser. NSEC3 (RFC 5155 §7.2.2): the closest
    /// encloser proof (the NSEC3 matching the closest provable encloser and the one covering
    /// the next closer name) and the NSEC3 covering the wildcard at the closest encloser.
    mutating func addNameErrorProof(_ name: DomainName, closestEncloser: DomainName) {
        switch zone.denial {
        case .none:
            return
        case .nsec:
            addNSEC(covering: name)
            if let star = try? closestEncloser.prepending(label: [UInt8(ascii: "*")]) { addNSEC(covering: star) }
        case .nsec3:
            let provable = addClosestEncloserProof(name, from: closestEncloser)
            if let provable, let star = try? provable.prepending(label: [UInt8(ascii: "*")]) { addNSEC3(covering: star) }
        }
    }

    /// No data at an existing name. NSEC (RFC 4035 §3.1.3.1): the NSEC at the QNAME; for an
    /// empty non-terminal, which has none, the NSEC covering it (its next name lies below the
    /// QNAME, proving the name exists). NSEC3 (RFC 5155 §7.2.3): the NSEC3 matching the QNAME;
    /// when there is none — a DS query at an Opt-Out delegation, §7.2.4, or an empty
    /// non-terminal left out under Opt-Out — the closest provable encloser proof.
    mutating func addNoDataProof(_ name: DomainName, node: ZoneNode) {
        switch zone.denial {
        case .none:
            return
        case .nsec:
            if node.has(.nsec) { addNSEC(at: name) } else { addNSEC(covering: name) }
        case .nsec3:
            if !addNSEC3(matching: name) {
                _ = addClosestEncloserProof(name, from: name.parent ?? zone.origin)
            }
        }
    }

    /// The proof for a referral without DS. NSEC (RFC 4035 §3.1.4.1): the NSEC at the cut,
    /// whose bitmap has NS but not DS. NSEC3 (RFC 5155 §7.2.7): the NSEC3 matching the cut
    /// name, or, for an Opt-Out delegation without one, the closest provable encloser proof
    /// whose next-closer NSEC3 has the Opt-Out flag.
    mutating func addNoDSProof(_ cut: DomainName, node: ZoneNode) {
        switch zone.denial {
        case .none:
            return
        case .nsec:
            if node.has(.nsec) { addNSEC(at: cut) }
        case .nsec3:
            if !addNSEC3(matching: cut) {
                _ = addClosestEncloserProof(cut, from: cut.parent ?? zone.origin)
            }
        }
    }

    /// An answer synthesized from a wildcard: proof that the QNAME itself does not exist.
    /// NSEC (RFC 4035 §3.1.3.3): the NSEC covering the QNAME. NSEC3 (RFC 5155 §7.2.6): the
    /// NSEC3 covering the next closer name (the closest encloser is implied by the RRSIG
    /// labels count).
    mutating func addWildcardAnswerProof(_ name: DomainName, closestEncloser: DomainName) {
        switch zone.denial {
        case .none:
            return
        case .nsec:
            addNSEC(covering: name)
        case .nsec3:
            addNSEC3(covering: nextCloser(name, closestEncloser))
        }
    }

    /// No data at a wildcard. NSEC (RFC 4035 §3.1.3.4): the NSEC covering the QNAME and the
    /// NSEC at the wildcard, whose bitmap lacks the QTYPE. NSEC3 (RFC 5155 §7.2.5): the
    /// closest encloser proof and the NSEC3 matching the wildcard.
    mutating func addWildcardNoDataProof(_ name: DomainName, closestEncloser: DomainName, source: ZoneNode) {
        guard let star = try? closestEncloser.prepending(label: [UInt8(ascii: "*")]) else { return }
        switch zone.denial {
        case .none:
            return
        case .nsec:
            addNSEC(covering: name)
            if source.has(.nsec) { addNSEC(at: star) } else { addNSEC(covering: star) }
        case .nsec3:
            _ = addClosestEncloserProof(name, from: closestEncloser)
            addNSEC3(matching: star)
        }
    }

    // MARK: NSEC

    mutating func addNSEC(at owner: DomainName) {
        guard let node = zone.node(owner), let nsec = node.rrsets[.nsec] else { return }
        draft.add(nsec, to: .authority, required: true)
        addSignatures(node, .nsec, owner: owner, to: .authority, required: true)
    }

    mutating func addNSEC(covering name: DomainName) {
        guard let owner = zone.nsecOwner(matchingOrCovering: name) else { return }
        addNSEC(at: owner)
    }

    // MARK: NSEC3

    /// The closest encloser proof (RFC 5155 §7.2.1): starting at `candidate` and going up,
    /// the first ancestor of `name` with a matching NSEC3 (the closest *provable* encloser:
    /// under Opt-Out an empty non-terminal may have none), that NSEC3, and the NSEC3 covering
    /// the next closer name. Returns the closest provable encloser.
    @discardableResult
    mutating func addClosestEncloserProof(_ name: DomainName, from candidate: DomainName) -> DomainName? {
        guard let chain = zone.nsec3 else { return nil }
        var encloser: DomainName? = candidate
        while let current = encloser, current.isSubdomain(of: zone.origin) {
            if let owner = chain.owner(matching: current) {
                addNSEC3(at: owner)
                if current != name { addNSEC3(covering: nextCloser(name, current)) }
                return current
            }
            encloser = current.parent
        }
        return nil
    }

    /// The name one label longer than `encloser` on the way to `name` (RFC 5155 §1.3).
    func nextCloser(_ name: DomainName, _ encloser: DomainName) -> DomainName {
        let count = encloser.labelCount + 1
        return count >= name.labelCount ? name : name.suffix(labelCount: count)
    }

    @discardableResult
    mutating func addNSEC3(matching name: DomainName) -> Bool {
        guard let owner = zone.nsec3?.owner(matching: name) else { return false }
        addNSEC3(at: owner)
        return true
    }

    mutating func addNSEC3(covering name: DomainName) {
        guard let owner = zone.nsec3?.owner(covering: name) else { return }
        addNSEC3(at: owner)
    }

    mutating func addNSEC3(at owner: DomainName) {
        guard let node = zone.nsec3Nodes[owner], let nsec3 = node.rrsets[.nsec3] else { return }
        draft.add(nsec3, to: .authority, required: true)
        if let signatures = node.signatures[.nsec3] { draft.add(signatures, to: .authority, required: true) }
    }
}
