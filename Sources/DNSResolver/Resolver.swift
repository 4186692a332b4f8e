import DNSCore
import DNSSEC
import DNSTransport
import Synchronization

/// A validating resolver, iterative from root hints or a stub behind an upstream resolver,
/// with a cache shared by all lookups (DESIGN.md, "DNSResolver"). Every answer is judged by
/// the `DNSSEC` module from evidence gathered here: the DS/DNSKEY chain per zone (fetched once,
/// shared by concurrent lookups) and the answer's own signatures and denials.
public final class Resolver: Sendable {
    public let configuration: ResolverConfiguration
    let exchange: any DNSExchange
    let clock: any ResolverClock
    let randomness: any QueryRandomness
    let policy: TargetAddressPolicy
    let cuts: ZoneCutStore
    let answers: SharedLookups<Question, Result<Validated<Answer>, ResolutionError>>
    let zoneKeys: SharedLookups<DomainName, Validated<ZoneKeySet?>>
    let delegations: SharedLookups<DomainName, Delegation?>
    let anchorKeySets = SharedLookups<DomainName, FetchedKeys>()
    let dsAnswers: SharedLookups<DomainName, Message?>
    /// Keyed by name and depth, so a name server whose address lookup needs itself ends at
    /// the depth limit instead of waiting on its own computation.
    let addressLookups: SharedLookups<AddressLookupKey, [DNSServerAddress]>
    /// Secure NSEC records per zone, for synthesised negative answers (RFC 8198).
    let nsecCache: AggressiveNSECCache
    /// Work done so far, over all lookups (`workTotals()`).
    let spent = Mutex(ResolverWorkTotals())

    public init(configuration: ResolverConfiguration, exchange: any DNSExchange, clock: any ResolverClock = SystemResolverClock(),
                randomness: any QueryRandomness = SystemQueryRandomness()) {
        self.configuration = configuration
        self.exchange = exchange
        self.clock = clock
        self.randomness = randomness
        let capacity = configuration.cacheCapacity
        answers = SharedLookups(capacity: capacity)
        zoneKeys = SharedLookups(capacity: capacity)
        delegations = SharedLookups(capacity: capacity)
        dsAnswers = SharedLookups(capacity: capacity)
        addressLookups = SharedLookups(capacity: capacity)
        nsecCache = AggressiveNSECCache(capacity: capacity)
        switch configuration.mode {
        case .iterative(let hints):
            policy = TargetAddressPolicy(allowPrivate: configuration.allowPrivateTargets || hints.isLoopbackLab)
            cuts = ZoneCutStore(root: ZoneCut(name: .root, parent: nil, nameservers: hints.nameservers, glue: hints.addresses, ds: nil, denial: []), capacity: capacity)
        case .stub(let upstream):
            policy = TargetAddressPolicy(allowPrivate: true)
            cuts = ZoneCutStore(root: ZoneCut(name: .root, parent: nil, nameservers: [], glue: [upstream], ds: nil, denial: []), capacity: capacity)
        }
    }

    var isStub: Bool {
        if case .stub = configuration.mode { return true }
        return false
    }

    /// Resolves `name`/`type`, following CNAME and DNAME links (at most `maxAliasChain`),
    /// validating every step. Throws only when the lookup cannot be run: an alias loop or an
    /// over-long chain. Timeouts give `indeterminate`, broken evidence `bogus`.
    public func resolve(_ name: DomainName, _ type: RRType) async throws(ResolutionError) -> Validated<Answer> {
        let question = Question(name: name, type: type)
        let bogusTTL = configuration.bogusTTL
        let maxTTL = configuration.maxTTL
        let queryBudget = configuration.maxQueriesPerLookup
        let lookupDuration = configuration.maxLookupDuration
        let result = await answers.value(for: question, now: clock.now()) {
            let budget = ResolutionBudget(limit: queryBudget, duration: lookupDuration)
            let result = await ResolutionBudget.$current.withValue(budget) { await self.compute(question) }
            switch result {
            case .failure: return (result, bogusTTL)
            case .success(let answer): return (result, Self.cacheTTL(answer, bogusTTL: bogusTTL, maxTTL: maxTTL))
            }
        }
        return try result.get()
    }

    /// RFC 2308 §5 for negative answers (the SOA's TTL, capped by its MINIMUM, carried in
    /// `negativeTTL`), the smallest RRset TTL for positive ones, `bogusTTL` for bogus (RFC
    /// 9520 §3), nothing for indeterminate (retry at once).
    static func cacheTTL(_ answer: Validated<Answer>, bogusTTL: Int64, maxTTL: Int64) -> Int64 {
        switch answer.status {
        case .bogus: return bogusTTL
        case .indeterminate: return 0
        case .secure, .insecure:
            let ttls = answer.value.rrsets.map { Int64($0.ttl) }
            if answer.value.rrsets.isEmpty { return min(maxTTL, Int64(answer.value.negativeTTL ?? 0)) }
            return min(maxTTL, ttls.min() ?? 0)
        }
    }

    func compute(_ question: Question) async -> Result<Validated<Answer>, ResolutionError> {
        var links: [Answer.Link] = []
        var visited: Set<DomainName> = [question.name]
        var current = question.name
        var reasons: [ValidationReason] = []
        var status = SecurityStatus.secure
        while true {
            let step = await resolveStep(current, question.type)
            reasons += step.reasons
            switch step.outcome {
            case .failed:
                return .success(Validated(Answer(question: question, rcode: .servFail, chain: links), status: .indeterminate, reasons: reasons))
            case .alias(let link):
                links.append(link)
                status = max(status, link.status)
                if status == .bogus {
                    return .success(Validated(Answer(question: question, rcode: .servFail, chain: links), status: .bogus, reasons: reasons))
                }
                guard visited.insert(link.target).inserted else {
                    return .failure(ResolutionError(.aliasLoop, "alias loop: \(link.owner) leads back to \(link.target), already in the chain"))
                }
                guard links.count <= configuration.maxAliasChain else {
                    return .failure(ResolutionError(.aliasChainTooLong, "more than \(configuration.maxAliasChain) CNAME/DNAME links from \(question.name)"))
                }
                current = link.target
            case .final(var answer, let finalStatus):
                status = max(status, finalStatus)
                answer.question = question
                answer.chain = links
                return .success(Validated(answer, status: status, reasons: reasons))
            }
        }
    }
}

extension Resolver {
    /// Queries sent, signatures verified and NSEC3 hashes computed since the resolver was
    /// made (tests and benchmarks: the bounds a hostile peer must stay within).
    package func workTotals() -> ResolverWorkTotals { spent.withLock { $0 } }

    func tally(_ work: ValidationWork) {
        spent.withLock { $0.add(work) }
    }
}

struct AddressLookupKey: Hashable, Sendable {
    var name: DomainName
    var depth: Int
}
