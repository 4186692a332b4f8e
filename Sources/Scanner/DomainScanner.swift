import DNSCore
import DNSResolver
import Foundation
import MailProbe
import ScanStore
import ServiceLifecycle

/// (Named `DomainScanner`: Foundation already has a `Scanner`.) Many mail domains through one `MailProbe` (so one `Resolver` and its cache for all):
/// bounded concurrency, a global start rate, per-MX-address politeness, sharding, and every
/// result into a `ScanQueue`: SQLite or PostgreSQL (DESIGN.md, the batch layer).
///
/// Resume: the store is the work list. `load` adds the input's domains as pending (domains
/// already there keep their state), `run` checks the pending ones of this shard; re-running
/// the same command skips everything done.
///
/// Stopping: `run` starts no new domain once the task is shutting down gracefully
/// (swift-service-lifecycle; SIGINT/SIGTERM in `daneprobe scan`) or `stopAfter` domains have
/// started, waits for the ones in flight, and flushes the store: what was not started stays
/// pending for the next run.
///
/// Politeness covers SMTP: before a domain is checked, its MX hosts' addresses are looked up
/// through the same resolver (whose cache then answers MailProbe's own lookups), and the
/// domain holds one slot of each address while it is checked. MailProbe opens one connection
/// per address per domain, so at most `perAddressLimit` connections reach one address at once
/// (an address listed under two MX hosts of one domain counts once, although MailProbe may
/// connect to it twice). Name servers are not limited per server here: the shared cache is
/// what keeps repeated questions off them.
public struct DomainScanner: Sendable {
    public struct Options: Sendable {
        public var concurrency: Int = 32
        /// Domains started per second; nil: as fast as `concurrency` allows.
        public var rate: Double? = nil
        /// Concurrent domain checks per MX address; nil: no limit.
        public var perAddressLimit: Int? = 4
        public var shard: ScanShard = .all
        /// Start at most this many domains, then stop as on SIGINT (tests; a bounded run).
        public var stopAfter: Int? = nil
        /// Domains claimed at a time (default: twice `concurrency`, so the next ones are at
        /// hand while the last of a batch finish, and workers sharing a queue split the tail).
        public var claimSize: Int? = nil
        /// The SMTP port, for the politeness keys.
        public var port: Int = 25
        public init() {}
    }

    /// How a run ended.
    public struct Summary: Sendable, Equatable {
        /// Domains checked and stored in this run.
        public var checked: Int
        /// Pending domains of this shard left for a later run.
        public var remaining: Int
        /// The run stopped early (signal or `stopAfter`).
        public var interrupted: Bool

        public init(checked: Int, remaining: Int, interrupted: Bool) {
            self.checked = checked
            self.remaining = remaining
            self.interrupted = interrupted
        }
    }

    public let probe: MailProbe
    public let options: Options
    public let now: @Sendable () -> Date

    public init(probe: MailProbe, options: Options, now: @escaping @Sendable () -> Date = { Date() }) {
        self.probe = probe
        self.options = options
        self.now = now
    }

    /// Reads `lines` (one domain or `rank,domain` each), adds this shard's domains to the
    /// queue as pending in batches, and returns the lines that were not domains. `lines` is
    /// read as it goes (a file streamed by `ScanInputLines` is never all in memory); the queue
    /// ignores domains it already has, so loading again — or from every worker — is harmless.
    /// `--shard` chooses what is loaded: N workers on N SQLite files split the input, and N
    /// workers sharing PostgreSQL load a part each and claim from the whole run.
    public func load<Lines: Sequence>(_ lines: Lines, into queue: any ScanQueue) async throws -> [ScanInput.Problem] where Lines.Element == Substring {
        var problems: [ScanInput.Problem] = []
        var batch: [ScanEntry] = []
        for (offset, text) in lines.enumerated() {
            switch ScanInput.parse(text, number: offset + 1) {
            case .entry(let entry):
                guard options.shard.contains(entry.domain) else { continue }
                batch.append(entry)
                if batch.count >= 2000 {
                    try await queue.enqueue(batch, now: now())
                    batch.removeAll(keepingCapacity: true)
                }
            case .skip:
                continue
            case .problem(let problem):
                problems.append(problem)
            }
        }
        try await queue.enqueue(batch, now: now())
        return problems
    }

    /// Checks the run's unfinished domains as `queue` hands them out. `onResult` sees each
    /// report as it is stored (for `--jsonl` and progress), in completion order.
    ///
    /// Claims come a page at a time (`claimSize`); when the queue says other
    /// workers hold the rest (`.wait`), the domains in flight are finished first, then the
    /// queue is asked again after the wait it named, until it says `.finished`. Stopping
    /// (graceful shutdown, `stopAfter`) releases what was claimed and not started.
    public func run(queue: any ScanQueue, onResult: @escaping @Sendable (DomainReport) async -> Void = { _ in }) async throws -> Summary {
        let limiter = ScanRateLimiter(perSecond: options.rate, clock: ContinuousClock())
        let addresses = options.perAddressLimit.map(ScanAddressLimiter.init(limit:))
        let concurrency = max(1, options.concurrency)
        let page = max(1, options.claimSize ?? 2 * concurrency)
        var started = 0
        var checked = 0
        var interrupted = false
        var claimed: [String] = []
        claimed.reserveCapacity(page)
        var next = 0
        try await withThrowingTaskGroup(of: (ScanRecord, DomainReport).self) { group in
            var inFlight = 0
            func collect() async throws {
                guard let (record, report) = try await group.next() else { return }
                inFlight -= 1
                try await queue.record(record)
                checked += 1
                await onResult(report)
            }
            func stopping() -> Bool {
                Task.isShuttingDownGracefully || Task.isCancelled || options.stopAfter.map({ started >= $0 }) == true
            }
            working: while true {
                if stopping() {
                    interrupted = true
                    break working
                }
                if next == claimed.count {
                    switch try await queue.claim(limit: page) {
                    case .domains(let domains):
                        claimed = domains
                        next = 0
                    case .wait(let pause):
                        claimed = []
                        next = 0
                        if inFlight > 0 {
                            try await collect()
                        } else {
                            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                        }
                        continue working
                    case .finished:
                        break working
                    }
                    continue working
                }
                while inFlight >= concurrency { try await collect() }
                if stopping() { continue working }
                try await limiter.acquire()
                let domain = claimed[next]
                next += 1
                guard let name = try? DomainName(parsing: domain) else { continue }
                started += 1
                inFlight += 1
                group.addTask { try await self.check(name, addresses: addresses) }
            }
            if next < claimed.count { try await queue.release(Array(claimed[next...])) }
            while inFlight > 0 { try await collect() }
        }
        try await queue.flush()
        let remaining = try await queue.remaining()
        return Summary(checked: checked, remaining: remaining, interrupted: interrupted || remaining > 0)
    }

    func check(_ domain: DomainName, addresses: ScanAddressLimiter?) async throws -> (ScanRecord, DomainReport) {
        let keys = addresses == nil ? [] : await mailAddresses(of: domain)
        if let addresses { await addresses.acquire(keys) }
        let startedAt = now()
        let report = await probe.check(domain)
        if let addresses { await addresses.release(keys) }
        return (ScanRecord(report: report, startedAt: startedAt, finishedAt: now()), report)
    }

    /// The published `address:port`s a check of `domain` would connect to: its MX hosts' (or,
    /// without MX records, its own) A and AAAA records. Lookups that fail give no keys; the
    /// check then fails in DNS too and connects nowhere.
    func mailAddresses(of domain: DomainName) async -> Set<String> {
        guard let mx = try? await probe.resolver.resolve(domain, .mx) else { return [] }
        let records = mx.value.rrsets.filter { $0.type == .mx }.flatMap(\.rdatas).compactMap { $0.as(MX.self) }
        let hosts = records.isEmpty ? (mx.value.rcode == .noError ? [domain] : []) : records.filter { !$0.isNullMX }.map(\.exchange)
        var keys = Set<String>()
        for host in hosts {
            if let v4 = try? await probe.resolver.resolve(host, .a) {
                for a in v4.value.rrsets.filter({ $0.type == .a }).flatMap(\.rdatas).compactMap({ $0.as(A.self) }) { keys.insert("\(a.address):\(options.port)") }
            }
            if let v6 = try? await probe.resolver.resolve(host, .aaaa) {
                for a in v6.value.rrsets.filter({ $0.type == .aaaa }).flatMap(\.rdatas).compactMap({ $0.as(AAAA.self) }) { keys.insert("[\(a.address)]:\(options.port)") }
            }
        }
        return keys
    }
}
