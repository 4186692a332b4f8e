import DNSCore
import DNSResolver
import DNSSEC
import Testing

/// The cache (RFC 2308 negative caching, RFC 9520 bogus caching) and the shared chain
/// evaluations, on a manual clock.
@Suite(.serialized) struct ResolverCacheTests {
    @Test func positiveAnswerIsCachedForItsTTL() async throws {
        try await Lab.run { lab in
            let clock = ManualResolverClock(LabZones.now)
            let resolver = Lab.resolver(lab, clock: clock)
            _ = try await resolver.resolve(name("www.secure.test."), .a)
            _ = try await resolver.resolve(name("WWW.secure.test."), .a)
            #expect(await resolver.computationCounts().answers == 1)
            clock.advance(by: 3601)
            _ = try await resolver.resolve(name("www.secure.test."), .a)
            #expect(await resolver.computationCounts().answers == 2)
        }
    }

    /// RFC 2308 §5: NXDOMAIN kept for min(SOA TTL, SOA MINIMUM) = 300 s here.
    @Test func negativeAnswerIsCachedForTheSOAMinimum() async throws {
        try await Lab.run { lab in
            let clock = ManualResolverClock(LabZones.now)
            let resolver = Lab.resolver(lab, clock: clock)
            let first = try await resolver.resolve(name("nope.secure.test."), .a)
            #expect(first.value.negativeTTL == 300)
            clock.advance(by: 299)
            _ = try await resolver.resolve(name("nope.secure.test."), .a)
            #expect(await resolver.computationCounts().answers == 1)
            clock.advance(by: 2)
            _ = try await resolver.resolve(name("nope.secure.test."), .a)
            #expect(await resolver.computationCounts().answers == 2)
        }
    }

    /// RFC 9520 §3 (case 34): a bogus answer is kept briefly, then asked again.
    @Test func bogusAnswerIsKeptBrieflyThenRetried() async throws {
        try await Lab.run { lab in
            let clock = ManualResolverClock(LabZones.now)
            let resolver = Lab.resolver(lab, clock: clock, bogusTTL: 5)
            let first = try await resolver.resolve(name("www.badds.test."), .a)
            #expect(first.status == .bogus)
            clock.advance(by: 4)
            let second = try await resolver.resolve(name("www.badds.test."), .a)
            #expect(second.status == .bogus)
            let counts = await resolver.computationCounts()
            // One chain evaluation per zone on the way: ., test., badds.test.
            #expect(counts.answers == 1 && counts.chains == 3)
            clock.advance(by: 2)
            let third = try await resolver.resolve(name("www.badds.test."), .a)
            #expect(third.status == .bogus)
            let later = await resolver.computationCounts()
            // Only the bogus link is judged again; the secure parents stay cached.
            #expect(later.answers == 2 && later.chains == counts.chains + 1)
            // The DS and DNSKEY of badds.test. were fetched again, not reused.
            #expect(later.delegations == counts.delegations + 1)
        }
    }

    /// Many concurrent lookups in one zone: its chain is evaluated once, one evaluation per
    /// zone from the anchor down (., test., secure.test.), each extending its parent's.
    @Test func concurrentLookupsShareOneChainEvaluation() async throws {
        try await Lab.run { lab in
            let resolver = Lab.resolver(lab)
            let questions = (0..<40).map { Question(name: name("n\($0).secure.test."), type: .a) }
                + (0..<10).map { _ in Question(name: name("www.secure.test."), type: .a) }
            let statuses = StatusBox()
            await resolver.resolveAll(questions, concurrency: 50) { _, result in
                statuses.values.append((try? result.get().status) ?? .bogus)
            }
            #expect(statuses.values.count == 50)
            #expect(statuses.values.allSatisfy { $0 == .secure })
            let counts = await resolver.computationCounts()
            #expect(counts.chains == 3)
            #expect(counts.answers == 41)
        }
    }
}

final class StatusBox {
    var values: [SecurityStatus] = []
}
