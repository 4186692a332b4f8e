import DNSCore
import DNSSEC
import DNSTransport

extension Resolver {
    enum Fetched: Sendable {
        /// An answer (positive, negative or alias) and the zone cut whose servers gave it.
        case answer(Message, ZoneCut)
        case failed
    }

    /// Asks the servers of the closest known zone cut for `qname`/`qtype`, following
    /// referrals down (RFC 1034 §5.3.3), trying the next server when one times out, answers
    /// garbage or is lame (REFUSED, SERVFAIL, an upward or sideways referral, no AA).
    /// In stub mode every question goes to the upstream, with RD, DO and CD.
    func ask(_ qname: DomainName, _ qtype: RRType, depth: Int = 0) async -> (Fetched, [ValidationReason]) {
        var reasons: [ValidationReason] = []
        guard var cut = await cuts.closest(to: qname, above: qtype == .ds && !qname.isRoot) else {
            return (.failed, [ValidationReason(.noReachableAuthority, rule: "RFC 1034 §5.3.3", "no zone cut known above \(qname)", ede: .noReachableAuthority)])
        }
        for _ in 0..<24 {
            let servers = await serverAddresses(for: cut, depth: depth)
            guard !servers.isEmpty else {
                reasons.append(ValidationReason(.noReachableAuthority, rule: "RFC 1034 §5.3.3",
                                                "no usable address for the servers of \(cut.name)", ede: .noReachableAuthority))
                return (.failed, reasons)
            }
            var referral: ZoneCut?
            servers: for server in servers.prefix(configuration.maxServersPerZone) {
                if let budget = ResolutionBudget.current, let refusal = budget.spendQuery() {
                    spent.withLock { $0.exhaustedQueryBudgets += 1 }
                    switch refusal {
                    case .outOfQueries:
                        reasons.append(ValidationReason(.budgetExhausted, rule: "query budget (CVE-2020-12662)",
                                                        "more than \(budget.limit) queries for one lookup: \(qname) \(qtype) was not asked", ede: .noReachableAuthority))
                    case .pastDeadline:
                        reasons.append(ValidationReason(.budgetExhausted, rule: "lookup deadline",
                                                        "the lookup took longer than \(budget.duration): \(qname) \(qtype) was not asked", ede: .noReachableAuthority))
                    }
                    return (.failed, reasons)
                }
                spent.withLock { $0.queries += 1 }
                let response: Message
                do {
                    response = try await exchange.exchange(query(qname, qtype), with: server, options: configuration.exchange)
                } catch {
                    let code: ValidationReason.Code = error.code == .timeout || error.code == .networkError ? .noReachableAuthority : .invalidResponse
                    reasons.append(ValidationReason(code, rule: "RFC 1035 §7.2", "\(server) for \(cut.name): \(error.reason)",
                                                    ede: code == .noReachableAuthority ? .noReachableAuthority : .networkError))
                    continue
                }
                switch classify(response, qname: qname, qtype: qtype, cut: cut) {
                case .answer:
                    return (.answer(response, cut), reasons)
                case .referral(let child):
                    referral = child
                    break servers
                case .lame(let why):
                    reasons.append(ValidationReason(.invalidResponse, rule: "RFC 1034 §5.3.3", "\(server) for \(cut.name): \(why)", ede: .notAuthoritative))
                }
            }
            guard let child = referral else { return (.failed, reasons) }
            await cuts.store(child)
            cut = await cuts.cut(child.name) ?? child
        }
        reasons.append(ValidationReason(.noReachableAuthority, rule: "RFC 1034 §5.3.3", "too many referrals for \(qname)", ede: .noReachableAuthority))
        return (.failed, reasons)
    }

    func query(_ qname: DomainName, _ qtype: RRType) -> Message {
        var name = qname
        if configuration.randomizeCase { name = randomizedCase(qname) }
        return Message.query(id: 0, name: name, type: qtype, recursionDesired: isStub, dnssec: true, checkingDisabled: true,
                             udpPayloadSize: configuration.exchange.udpPayloadSize)
    }

    /// 0x20: each ASCII letter's case from the injected random source.
    func randomizedCase(_ name: DomainName) -> DomainName {
        var bits = randomness.next()
        var wire = name.wire
        var index = 0
        while index < wire.count {
            let length = Int(wire[index])
            if length == 0 { break }
            for offset in (index + 1)..<min(wire.count, index + 1 + length) {
                let byte = wire[offset]
                if (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) {
                    wire[offset] = bits & 1 == 1 ? byte | 0x20 : byte & ~0x20
                    bits = bits >> 1 | bits << 63
                }
            }
            index += 1 + length
        }
        return (try? DomainName(wire: wire)) ?? name
    }

    enum Classification {
        case answer
        case referral(ZoneCut)
        case lame(String)
    }

    /// What a response is (RFC 1034 §5.3.3, RFC 4035 §3.1.4): an answer (records or an
    /// authoritative NXDOMAIN/NODATA), a referral to a child zone below the one asked and at or
    /// above QNAME, or lame. Glue is kept only inside the bailiwick of the zone asked (RFC
    /// 2181 §5.4.1): out-of-bailiwick addresses are never used.
    func classify(_ response: Message, qname: DomainName, qtype: RRType, cut: ZoneCut) -> Classification {
        let rcode = response.header.rcode
        // RFC 6672 §2.2: YXDOMAIN is the answer when a DNAME's substitution would make a name
        // longer than 255 octets; it carries the DNAME, judged like any other.
        if rcode == .yxDomain, response.answers.contains(where: { $0.type == .dname && qname.isSubdomain(of: $0.owner) && qname != $0.owner }) {
            return .answer
        }
        guard rcode == .noError || rcode == .nxDomain else { return .lame("RCODE \(rcode)") }
        let relevant = response.answers.contains { $0.owner == qname || ($0.type == .dname && qname.isSubdomain(of: $0.owner)) }
        if relevant || rcode == .nxDomain { return .answer }
        if isStub { return .answer }
        let nsRecords = response.authority.filter { $0.type == .ns }
        if let child = nsRecords.first?.owner, child.isSubdomain(of: cut.name), child != cut.name, qname.isSubdomain(of: child),
           !response.header.isAuthoritative || qtype != .ds || child != qname {
            let targets = nsRecords.filter { $0.owner == child }.compactMap { $0.rdata.as(NS.self)?.target }
            var glue: [DNSServerAddress] = []
            for record in response.additional where targets.contains(record.owner) && record.owner.isSubdomain(of: cut.name) {
                if let a = record.rdata.as(A.self) { glue.append(DNSServerAddress(host: a.address.description)) }
                if let aaaa = record.rdata.as(AAAA.self) { glue.append(DNSServerAddress(host: aaaa.address.description)) }
            }
            let ds = SignedRRSet(owner: child, type: .ds, from: response.authority)
            let denial = ds == nil ? signedRRSets(response.authority, type: .nsec) + signedRRSets(response.authority, type: .nsec3) : []
            // The parent is the zone that signed the DS or its denial; a server answering for
            // several levels may refer from a zone below the cut asked (then found later).
            let signer = (ds?.signatures ?? denial.flatMap(\.signatures)).first?.signerName
            let parent = signer.map { $0 == cut.name ? cut.name : nil } ?? cut.name
            return .referral(ZoneCut(name: child, parent: parent, nameservers: targets, glue: glue, ds: ds, denial: denial))
        }
        if response.header.isAuthoritative { return .answer }
        return .lame(nsRecords.isEmpty ? "not authoritative and no referral" : "referral that does not lead down towards \(qname)")
    }

    /// The addresses to ask for a zone: its glue, else the addresses of its NS names resolved
    /// as separate lookups (out-of-bailiwick names; bounded depth), filtered by the target
    /// address policy.
    func serverAddresses(for cut: ZoneCut, depth: Int) async -> [DNSServerAddress] {
        var addresses = cut.glue
        if addresses.isEmpty, depth < 4 {
            for nameserver in cut.nameservers.prefix(configuration.maxNameServerLookups) {
                addresses += await addressLookups.value(for: AddressLookupKey(name: nameserver, depth: depth), now: clock.now()) {
                    let found = await self.lookUpAddresses(nameserver, depth: depth + 1)
                    return (found, found.isEmpty ? 0 : 300)
                }
                if !addresses.isEmpty { break }
            }
        }
        return addresses.filter { policy.permits($0.host) }
    }

    func lookUpAddresses(_ name: DomainName, depth: Int) async -> [DNSServerAddress] {
        var found: [DNSServerAddress] = []
        for type in [RRType.a, .aaaa] {
            let (fetched, _) = await ask(name, type, depth: depth)
            guard case .answer(let message, _) = fetched else { continue }
            for record in message.answers where record.owner == name {
                if let a = record.rdata.as(A.self) { found.append(DNSServerAddress(host: a.address.description)) }
                if let aaaa = record.rdata.as(AAAA.self) { found.append(DNSServerAddress(host: aaaa.address.description)) }
            }
            if !found.isEmpty { break }
        }
        return found
    }
}
