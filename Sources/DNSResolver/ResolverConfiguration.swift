import DNSCore
import DNSSEC
import DNSTransport

/// How a `Resolver` finds and judges answers.
public struct ResolverConfiguration: Sendable {
    public enum Mode: Sendable {
        /// From the root hints down, following referrals.
        case iterative(RootHints)
        /// Through a recursive resolver, asked with DO and CD; validation is ours.
        case stub(DNSServerAddress)
    }

    public var mode: Mode
    public var trustAnchors: TrustAnchorSet
    /// Send queries to loopback, private and reserved addresses even when the root hints
    /// are not a loopback lab.
    public var allowPrivateTargets: Bool
    public var exchange: DNSExchangeOptions
    /// CNAME/DNAME links followed at most (Unbound and BIND stop around 11-16).
    public var maxAliasChain: Int
    /// How long a bogus answer is kept before it is asked again (RFC 9520 §3: 1 s to 5 min).
    public var bogusTTL: Int64
    /// The longest any answer is cached.
    public var maxTTL: Int64
    /// Randomise QNAME case (draft-vixie-dnsext-dns0x20); answers match case-insensitively.
    public var randomizeCase: Bool
    /// Entries each cache keeps at most (answers, zone chains, delegations, zone cuts, name
    /// server addresses); past it the least recently used go.
    public var cacheCapacity: Int
    /// Answer negative questions from validated NSEC records already held (RFC 8198: aggressive
    /// use of the DNSSEC-validated cache; on by default, as in Unbound): a name one covers, or
    /// a type one shows absent, needs no query. Only NSEC from secure zones, never NSEC3.
    public var aggressiveNSEC: Bool
    /// Queries one lookup may send in all (its alias links, referrals, name-server address
    /// lookups, DS and DNSKEY fetches); past it the lookup fails, indeterminate
    /// (`ResolutionBudget`; NXNSAttack, CVE-2020-12662).
    public var maxQueriesPerLookup: Int
    /// Server addresses tried for one zone before giving up on it (a referral may list
    /// hundreds, all silent).
    public var maxServersPerZone: Int
    /// NS names of one zone whose addresses are looked up when it came without glue (BIND
    /// processes at most 20 since CVE-2022-2795; a referral needs one that answers).
    public var maxNameServerLookups: Int
    /// How long one lookup may go on sending queries (monotonic time; BIND's
    /// `resolver-query-timeout` is 10 s): past it the lookup fails, indeterminate, within one
    /// more exchange's time budget (`ResolutionBudget`).
    public var maxLookupDuration: Duration

    public init(mode: Mode, trustAnchors: TrustAnchorSet = .ianaRoot, allowPrivateTargets: Bool = false,
                exchange: DNSExchangeOptions = DNSExchangeOptions(), maxAliasChain: Int = 11, bogusTTL: Int64 = 60,
                maxTTL: Int64 = 86_400, randomizeCase: Bool = false, cacheCapacity: Int = 100_000,
                aggressiveNSEC: Bool = true, maxQueriesPerLookup: Int = 128, maxServersPerZone: Int = 8,
                maxNameServerLookups: Int = 4, maxLookupDuration: Duration = .seconds(30)) {
        self.mode = mode
        self.trustAnchors = trustAnchors
        self.allowPrivateTargets = allowPrivateTargets
        self.exchange = exchange
        self.maxAliasChain = maxAliasChain
        self.bogusTTL = min(300, max(1, bogusTTL))
        self.maxTTL = maxTTL
        self.randomizeCase = randomizeCase
        self.cacheCapacity = max(2, cacheCapacity)
        self.aggressiveNSEC = aggressiveNSEC
        self.maxQueriesPerLookup = max(1, maxQueriesPerLookup)
        self.maxServersPerZone = max(1, maxServersPerZone)
        self.maxNameServerLookups = max(1, maxNameServerLookups)
        self.maxLookupDuration = maxLookupDuration
    }
}
