import DANE
import DNSCore
import DNSResolver
import Foundation
import Logging
import MailProbe

/// Runs the lab: mints and signs the catalogue at `now`, starts its servers, checks every
/// scenario's mail domain with the built-in DANE client (`MailProbe`) under each policy, and
/// compares the domain verdicts with the catalogue's.
public struct LabRunner: Sendable {
    /// 2026-01-01T00:00:00Z: the lab's one reference time, for signatures, certificates and
    /// the resolver's clock.
    public static let referenceTime = Date(timeIntervalSince1970: 1_767_225_600)

    public var scenarios: [LabScenario]
    public var now: Date
    public var seed: UInt64
    /// Scenarios checked at once.
    public var concurrency: Int
    public var logger: Logger

    public init(scenarios: [LabScenario] = LabCatalogue.all, now: Date = referenceTime, seed: UInt64 = 2015, concurrency: Int = 8,
                logger: Logger = LabNetwork.quietLogger) {
        self.scenarios = scenarios
        self.now = now
        self.seed = seed
        self.concurrency = concurrency
        self.logger = logger
    }

    /// The outcomes in catalogue order. Throws only when the lab cannot be built or started.
    public func run() async throws -> [LabOutcome] {
        let hierarchy = try LabHierarchy(scenarios: scenarios, now: now, seed: seed)
        return try await run(on: hierarchy)
    }

    /// The same over an already minted hierarchy (whose zones may have been changed on purpose).
    public func run(on hierarchy: LabHierarchy) async throws -> [LabOutcome] {
        let scenarios = scenarios
        let now = now
        let concurrency = concurrency
        return try await LabNetwork.run(hierarchy, scenarios: scenarios, logger: logger) { endpoints in
            let resolver = endpoints.resolver(now: now)
            return await withTaskGroup(of: (Int, LabOutcome).self) { group in
                var next = 0
                func add() {
                    guard next < scenarios.count else { return }
                    let index = next
                    next += 1
                    group.addTask { (index, await Self.check(scenarios[index], resolver: resolver, endpoints: endpoints, now: now)) }
                }
                for _ in 0..<max(1, concurrency) { add() }
                var outcomes: [(Int, LabOutcome)] = []
                while let outcome = await group.next() {
                    outcomes.append(outcome)
                    add()
                }
                return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
            }
        }
    }

    static func check(_ scenario: LabScenario, resolver: Resolver, endpoints: LabEndpoints, now: Date) async -> LabOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        var reports: [InsecureMXPolicy: DomainReport] = [:]
        guard let domain = try? DomainName(parsing: scenario.domain) else { return LabOutcome(scenario: scenario, reports: [:]) }
        for policy in LabOutcome.policies {
            var options = MailProbeOptions()
            options.insecureMXPolicy = policy
            options.addressMap = endpoints.smtpAddressMap
            options.now = now
            options.timeout = .seconds(5)
            options.ehloName = "daneprobe-lab.invalid"
            reports[policy] = await MailProbe(resolver: resolver, options: options).check(domain)
        }
        return LabOutcome(scenario: scenario, reports: reports, duration: clock.now - started)
    }
}
