import DNSCore
import DNSTransport

/// The records of an answer as the authoritative servers gave them, signatures and denial
/// proofs included, found by following referrals from the root hints without validating
/// anything. A recursive endpoint needs these to answer a DO (+CD) client, which validates
/// the RRSIGs itself (RFC 4035 §3.2.1-§3.2.2); `Resolver` gives the verdict, not the bytes.
///
/// Deliberately small: referral glue (or the name servers' addresses, looked up the same way),
/// CNAMEs followed across zones, at most `maxReferrals` referrals and `maxAliases` links.
public struct IterativeFetcher: Sendable {
    /// What the walk ended with.
    public struct Result: Sendable, Hashable {
        public var rcode: RCode
        /// The answer section, with the CNAME links and RRSIGs, in the order received.
        public var answers: [ResourceRecord]
        /// The final server's authority section for a negative answer (SOA, NSEC/NSEC3, RRSIGs).
        public var authority: [ResourceRecord]
    }

    public var rootServers: [DNSServerAddress]
    public var exchange: any DNSExchange
    public var options: DNSExchangeOptions
    public var randomness: any QueryRandomness
    public var maxReferrals = 16
    public var maxAliases = 8

    public init(rootServers: [DNSServerAddress], exchange: any DNSExchange, options: DNSExchangeOptions,
                randomness: any QueryRandomness = SystemQueryRandomness()) {
        self.randomness = randomness
        self.rootServers = rootServers
        self.exchange = exchange
        self.options = options
    }

    /// The answer to `name`/`type`; nil when no server gave one (timeouts, SERVFAIL, REFUSED,
    /// NOTIMP, a referral loop).
    public func fetch(_ name: DomainName, _ type: RRType) async -> Result? {
        var answers: [ResourceRecord] = []
        var current = name
        var seen: Set<DomainName> = [name]
        for _ in 0...maxAliases {
            guard let step = await walk(current, type, depth: 0) else { return nil }
            answers += step.answers
            guard step.rcode == .noError, type != .cname,
                  !step.answers.contains(where: { $0.owner == current && $0.type == type }),
                  let target = Self.cnameTarget(of: current, in: step.answers) else {
                return Result(rcode: step.rcode, answers: answers, authority: step.authority)
            }
            guard seen.insert(target).inserted else { return Result(rcode: .servFail, answers: [], authority: []) }
            current = target
        }
        return nil
    }

    /// Follows CNAMEs within one answer section from `name` to the last target.
    static func cnameTarget(of name: DomainName, in records: [ResourceRecord]) -> DomainName? {
        var current = name
        var followed = false
        var steps = 0
        while steps < 16, let link = records.first(where: { $0.owner == current && $0.type == .cname })?.rdata.as(CNAME.self) {
            current = link.target
            followed = true
            steps += 1
        }
        return followed ? current : nil
    }

    private func walk(_ name: DomainName, _ type: RRType, depth: Int) async -> Result? {
        guard depth < 4 else { return nil }
        var servers = rootServers
        var zone = DomainName.root
        for _ in 0..<maxReferrals {
            guard let response = await ask(servers, name, type) else { return nil }
            let rcode = response.header.rcode
            guard rcode == .noError || rcode == .nxDomain else { return nil }
            let referral = response.authority.filter { $0.type == .ns }
            if rcode == .noError, response.answers.isEmpty, !response.header.isAuthoritative || !referral.isEmpty,
               let cut = referral.first?.owner, cut != zone, cut.isSubdomain(of: zone), name.isSubdomain(of: cut) {
                let targets = referral.compactMap { $0.rdata.as(NS.self)?.target }
                var next: [DNSServerAddress] = response.additional.compactMap { record in
                    guard targets.contains(record.owner) else { return nil }
                    if let a = record.rdata.as(A.self) { return DNSServerAddress(host: a.address.description) }
                    if let aaaa = record.rdata.as(AAAA.self) { return DNSServerAddress(host: aaaa.address.description) }
                    return nil
                }
                if next.isEmpty {
                    for target in targets {
                        guard let found = await walk(target, .a, depth: depth + 1) else { continue }
                        next += found.answers.compactMap { $0.rdata.as(A.self).map { DNSServerAddress(host: $0.address.description) } }
                        if !next.isEmpty { break }
                    }
                }
                guard !next.isEmpty else { return nil }
                servers = next
                zone = cut
                continue
            }
            let negative = response.answers.isEmpty
            return Result(rcode: rcode, answers: response.answers, authority: negative ? response.authority : [])
        }
        return nil
    }

    private func ask(_ servers: [DNSServerAddress], _ name: DomainName, _ type: RRType) async -> Message? {
        for server in servers {
            let query = Message.query(id: UInt16(truncatingIfNeeded: randomness.next()), name: name, type: type, recursionDesired: false,
                                      dnssec: true, checkingDisabled: true, udpPayloadSize: options.udpPayloadSize)
            if let response = try? await exchange.exchange(query, with: server, options: options),
               response.header.rcode != .servFail, response.header.rcode != .refused {
                return response
            }
        }
        return nil
    }
}
