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
/// Carried as a task-local value from `Resolver.resolve`, so child tasks (`async let`) spend
/// from the same budget; a computation shared by several lookups spends from the one that
/// started it.
final class ResolutionBudget: Sendable {
    @TaskLocal static var current: ResolutionBudget?

    let limit: Int
    private let spent = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// Takes one query from the budget; false when none is left.
    func spendQuery() -> Bool {
        spent.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
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
