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

/// The caches' size bound: least recently used answers go first, expired ones before any
/// live one, and the TTL rules still hold for what stays.
@Suite(.serialized) struct ResolverCacheEvictionTests {
    @Test func leastRecentlyUsedAnswerIsEvicted() async throws {
        try await Lab.run { lab in
            let clock = ManualResolverClock(LabZones.now)
            let resolver = Lab.resolver(lab, clock: clock, cacheCapacity: 3)
            for text in ["www.secure.test.", "ns.secure.test.", "nope.secure.test."] { _ = try await resolver.resolve(name(text), .a) }
            _ = try await resolver.resolve(name("www.secure.test."), .a)  // used again: now the most recent
            #expect(await resolver.computationCounts().answers == 3)
            _ = try await resolver.resolve(name("www.secure.test."), .aaaa)  // a fourth: ns.secure.test. A goes
            #expect(await resolver.answerCacheState() == (entries: 3, evictions: 1))
            let kept = try await resolver.resolve(name("www.secure.test."), .a)
            #expect(kept.status == .secure)
            #expect(await resolver.computationCounts().answers == 4)
            let again = try await resolver.resolve(name("ns.secure.test."), .a)
            #expect(again.status == .secure)
            #expect(await resolver.computationCounts().answers == 5)
        }
    }

    /// RFC 2308 §5: the NXDOMAIN's 300 s are over, so it makes room before any live answer.
    @Test func expiredAnswersAreEvictedFirst() async throws {
        try await Lab.run { lab in
            let clock = ManualResolverClock(LabZones.now)
            let resolver = Lab.resolver(lab, clock: clock, cacheCapacity: 3)
            _ = try await resolver.resolve(name("nope.secure.test."), .a)
            _ = try await resolver.resolve(name("www.secure.test."), .a)
            _ = try await resolver.resolve(name("ns.secure.test."), .a)
            clock.advance(by: 301)
            _ = try await resolver.resolve(name("www.secure.test."), .aaaa)
            #expect(await resolver.answerCacheState() == (entries: 3, evictions: 0))
            _ = try await resolver.resolve(name("www.secure.test."), .a)
            _ = try await resolver.resolve(name("ns.secure.test."), .a)
            #expect(await resolver.computationCounts().answers == 4)
            // The expired NXDOMAIN is asked again, not served stale.
            let nx = try await resolver.resolve(name("nope.secure.test."), .a)
            #expect(nx.value.denial == .nxDomain)
            #expect(await resolver.computationCounts().answers == 5)
        }
    }

    /// A bound smaller than a chain is still correct, only slower: every lookup secure.
    @Test func tinyCachesStillValidate() async throws {
        try await Lab.run { lab in
            let resolver = Lab.resolver(lab, cacheCapacity: 2)
            let questions = (0..<30).map { Question(name: name("n\($0 % 10).secure.test."), type: .a) }
                + [Question(name: name("www.nsec3.test."), type: .a), Question(name: name("www.unsigned.test."), type: .a)]
            let statuses = StatusBox()
            await resolver.resolveAll(questions, concurrency: 8) { _, result in
                statuses.values.append((try? result.get().status) ?? .bogus)
            }
            #expect(statuses.values.count == 32)
            #expect(statuses.values.filter { $0 == .secure }.count == 31)
            #expect(statuses.values.filter { $0 == .insecure }.count == 1)
            #expect(await resolver.answerCacheState().entries <= 2)
        }
    }
}

final class StatusBox {
    var values: [SecurityStatus] = []
}
