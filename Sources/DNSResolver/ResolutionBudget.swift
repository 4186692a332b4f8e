import DNSSEC
import Synchronization

/// The queries one lookup may send, across every step it takes: its CNAME/DNAME links, the
/// referrals it follows, the name-server addresses it must look up first and the DS/DNSKEY
/// RRsets of each zone (including the shared fetches it starts for others). A referral with
/// hundreds of NS names and no glue (NXNSAttack, CVE-2020-12662), name servers whose
/// addresses need each other, or an endless chain of referrals end when it runs out, not
/// when a depth limit finally bites after thousands of queries. BIND's
/// `max-recursion-queries` (100 until 9.20, then 32 with `max-query-count` 200) and
/// Unbound's `MAX_SENT_COUNT` (32) do the same.
///
/// It also carries the lookup's deadline (`ResolverConfiguration.maxLookupDuration`, like
/// BIND's `resolver-query-timeout`): the query budget bounds the work, but 128 queries to
/// servers that each wait out their time budget would take minutes; past the deadline no
/// query is sent, so a lookup ends within the deadline plus one exchange's time budget.
///
/// Carried as a task-local value from `Resolver.resolve`, so child tasks (`async let`) spend
/// from the same budget; a computation shared by several lookups spends from the one that
/// started it.
final class ResolutionBudget: Sendable {
    @TaskLocal static var current: ResolutionBudget?

    let limit: Int
    let duration: Duration
    private let deadline: ContinuousClock.Instant
    private let spent = Mutex(0)

    enum Refusal: Sendable {
        case outOfQueries
        case pastDeadline
    }

    init(limit: Int, duration: Duration = .seconds(30)) {
        self.limit = limit
        self.duration = duration
        self.deadline = ContinuousClock.now + duration
    }

    /// Takes one query from the budget; why not when none is left or the deadline passed.
    func spendQuery() -> Refusal? {
        spent.withLock { count in
            guard count < limit else { return .outOfQueries }
            guard ContinuousClock.now < deadline else { return .pastDeadline }
            count += 1
            return nil
        }
    }

    var queriesSent: Int { spent.withLock { $0 } }
}

/// What a resolver has spent since it was made, over all lookups (tests and benchmarks bound
/// the work a hostile peer can cause with it).
package struct ResolverWorkTotals: Hashable, Sendable {
    package var queries = 0
    package var signatureVerifications = 0
    package var signatureFailures = 0
    package var nsec3Hashes = 0
    /// Lookups that ran out of their query budget.
    package var exhaustedQueryBudgets = 0

    package init() {}

    mutating func add(_ work: ValidationWork) {
        signatureVerifications += work.signatureVerifications
        signatureFailures += work.signatureFailures
        nsec3Hashes += work.nsec3Hashes
    }
}
