import Foundation

/// A domain to scan, as read from the input.
public struct ScanEntry: Sendable, Hashable {
    public var domain: String
    public var rank: Int?
    public var line: Int

    public init(domain: String, rank: Int?, line: Int) {
        self.domain = domain
        self.rank = rank
        self.line = line
    }
}

/// How far a scan is: all domains, finished ones, and finished ones by verdict.
public struct ScanCounts: Sendable, Equatable {
    public var total: Int
    public var done: Int
    public var verdicts: [String: Int]

    public init(total: Int, done: Int, verdicts: [String: Int]) {
        self.total = total
        self.done = done
        self.verdicts = verdicts
    }
}

/// What a worker may do next.
public enum ScanClaim: Sendable, Equatable {
    /// Check these domains; they are this worker's until it records or releases them.
    case domains([String])
    /// Nothing to claim now, but other workers hold leases on unfinished domains: ask again
    /// after this long (a lease that expires makes its domains claimable).
    case wait(Duration)
    /// Every domain of the run is finished (or given up).
    case finished
}

/// The work list and results of one scan run, as `DomainScanner` uses it: SQLite for one
/// machine (`ScanStore`), PostgreSQL shared by many workers (`PostgresScanStore`).
///
/// The contract, whatever the store:
/// - `enqueue` is idempotent: a domain already in the run (pending, claimed or done) is left
///   as it is, so loading the same input again, or from every worker, adds nothing twice.
/// - `claim` hands out each unfinished domain to one worker at a time; a domain handed out
///   and neither recorded nor released comes back only when its holder is gone (a lease
///   that expired, or a new process for SQLite's single worker).
/// - `record` makes a result durable by the next `flush` at the latest, at most one result
///   per domain and run (a domain recorded twice keeps one row).
/// - `release` gives back claimed domains that were never started (a graceful stop).
public protocol ScanQueue: Actor {
    func enqueue(_ entries: [ScanEntry], now: Date) async throws
    func claim(limit: Int) async throws -> ScanClaim
    func release(_ domains: [String]) async throws
    func record(_ record: ScanRecord) async throws
    func flushIfDue(now: Date) async throws
    func flush() async throws
    /// Unfinished domains of the run (pending or claimed by anyone).
    func remaining() async throws -> Int
    func counts() async throws -> ScanCounts
    func close() async throws
}

/// Finished results read back a page at a time, for `daneprobe report`.
public protocol ScanResultSource: Actor {
    /// Finished domains after `after` (by key, ascending), at most `limit`: each domain's key
    /// and its stored report, the JSON line of `check --json`.
    func reports(after: String?, limit: Int) async throws -> [(domain: String, json: String)]
    func close() async throws
}
