import DANE
import Foundation
import PeerTestSupport
import Testing

/// Postfix as the judge (issues 6 and 7): `posttls-finger` and a real Postfix MTA, both through
/// a validating Unbound on 127.0.3.1:53 via a private /etc/resolv.conf, against the signed
/// `PostfixJudgeLab`; each case says what both must conclude and whether the message arrives.
@Suite(.serialized, .enabled(if: PostTLSFinger.available && PostfixMTA.available, "postfix is not installed (Debian package postfix; .ci/run installs it)"),
       .enabled(if: ExternalTool.available("nsd", "unbound", "ldns-keygen", "ldns-signzone", "ldns-key2ds"), "needs nsd, unbound and ldnsutils (.ci/run installs them)"))
struct PostfixJudgeTests {
    struct Case: Sendable, CustomStringConvertible {
        var domain: String
        var policy: PostTLSFinger.InsecureMXPolicy
        /// What posttls-finger and the MTA conclude (they agree on every case here).
        var verdict: DANEVerdict
        /// The host posttls-finger talks to, nil when it connects to none.
        var host: String?
        var arrives: Bool
        /// The SNI the MTA sends when the message arrives.
        var sni: String? = nil
        var recipient: String { "judge-\(policy.rawValue)@\(domain)" }
        var description: String { "\(domain) under insecure-MX policy \(policy.rawValue)" }
    }

    static let good = "mx-good.pfjudge.test[127.0.3.11]:25"
    static let cases: [Case] = [
        Case(domain: "good.pfjudge.test", policy: .dane, verdict: .verified, host: good, arrives: true, sni: "mx-good.pfjudge.test"),
        Case(domain: "bad.pfjudge.test", policy: .dane, verdict: .daneFailed, host: "mx-bad.pfjudge.test[127.0.3.12]:25", arrives: false),
        Case(domain: "plain.pfjudge.test", policy: .dane, verdict: .tlsRequiredFailed, host: "mx-plain.pfjudge.test[127.0.3.13]:25", arrives: false),
        Case(domain: "down.pfjudge.test", policy: .dane, verdict: .unreachable, host: "mx-down.pfjudge.test[127.0.3.14]:25", arrives: false),
        Case(domain: "nx.pfjudge.test", policy: .dane, verdict: .noMail, host: nil, arrives: false),
        Case(domain: "nullmx.pfjudge.test", policy: .dane, verdict: .noMail, host: nil, arrives: false),
        Case(domain: "pfbogus.test", policy: .dane, verdict: .dnsFailed, host: nil, arrives: false),
        // An insecure MX RRset (unsigned zone) to a host with secure, matching TLSA: Postfix
        // ≥ 3.6 still applies DANE and logs Trusted; `may` ignores the TLSA (2015 behaviour).
        Case(domain: "pfplain.test", policy: .dane, verdict: .trusted, host: good, arrives: true, sni: "mx-good.pfjudge.test"),
        Case(domain: "pfplain.test", policy: .may, verdict: .untrusted, host: good, arrives: true),
        // A secure MX RRset: the policy for insecure ones changes nothing.
        Case(domain: "good.pfjudge.test", policy: .may, verdict: .verified, host: good, arrives: true, sni: "mx-good.pfjudge.test"),
        Case(domain: "bad.pfjudge.test", policy: .may, verdict: .daneFailed, host: "mx-bad.pfjudge.test[127.0.3.12]:25", arrives: false),
    ]

    /// The private resolv.conf is what a command in the namespace reads, and only there: the
    /// machine's file is the same before and after.
    @Test func resolvConfIsPrivateToTheNamespace() throws {
        let before = try String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)
        let folder = try TemporaryDirectory(prefix: "resolv-namespace")
        defer { folder.remove() }
        let namespace = try PrivateResolverNamespace(nameserver: "127.0.3.1", in: folder)
        let seen = try namespace.run(try ExternalTool.require("cat"), ["/etc/resolv.conf"], timeout: 30)
        #expect(seen.status == 0, "\(seen)")
        #expect(seen.stdoutText == (try String(contentsOf: namespace.resolvConf, encoding: .utf8)))
        #expect(seen.stdoutText.contains("nameserver 127.0.3.1\noptions trust-ad"))
        #expect(try String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8) == before)
        #expect(before != seen.stdoutText)
    }

    @Test func postTLSFingerAndTheMTAJudgeTheLab() async throws {
        let lab = try PostfixJudgeLab.start()
        defer { lab.stop() }
        let spki = lab.spkiSHA256.uppercased()
        let (reports, deliveries) = try await lab.serveMail {
            // Postfix runs to completion and its log is polled: off the cooperative pool.
            try await BlockingWork.run { try Self.judge(Self.cases) }
        }
        for (testCase, report) in zip(Self.cases, reports) {
            #expect(report.verdict == testCase.verdict, "\(testCase): \(report)")
            #expect(report.host == testCase.host, "\(testCase): \(report)")
            if testCase.verdict == .verified || testCase.verdict == .trusted {
                #expect(report.matches.contains { $0.contains("Matched DANE EE certificate at depth 0: 3 1 1 \(spki)") }, "\(testCase): \(report)")
            }
            #expect(!report.lines.contains { $0.contains("DNSSEC validation may be unavailable") }, "\(testCase): \(report)")
        }
        for (testCase, delivery) in deliveries {
            #expect(delivery.verdict == testCase.verdict, "\(testCase): \(delivery)")
            #expect((delivery.status == .sent) == testCase.arrives, "\(testCase): \(delivery)")
            if testCase.verdict == .daneFailed {
                #expect(delivery.status == .deferred && delivery.daneFailure?.contains("no matching DANE TLSA records") == true, "\(testCase): \(delivery)")
            }
        }
        #expect(deliveries.count == Self.cases.count)
        // Every "sent" above was the server's 250, so its message is stored by now.
        let received = lab.received
        for testCase in Self.cases {
            let messages = received.filter { $0.message.recipients == [testCase.recipient] }
            #expect(messages.count == (testCase.arrives ? 1 : 0), "\(testCase): received \(received.map(\.message.recipients))")
            guard let message = messages.first else { continue }
            // Under DANE Postfix sends the TLSA base domain as SNI (RFC 7672 §8.1); at the
            // `may` level it sends none.
            #expect(message.tls != nil && message.message.overTLS, "\(testCase)")
            #expect(message.tls?.serverName == testCase.sni, "\(testCase): SNI \(message.tls?.serverName ?? "none")")
        }
    }

    /// posttls-finger on every case, then one MTA per insecure-MX policy sending one message
    /// per case of that policy (all submitted first, then awaited: the queue manager delivers
    /// them in parallel).
    static func judge(_ cases: [Case]) throws -> (reports: [PostTLSFingerReport], deliveries: [(Case, PostfixDelivery)]) {
        let resolver = PostfixJudgeLab.resolverAddress
        let reports = try cases.map { testCase in
            try PostTLSFinger(resolver: resolver, insecureMXPolicy: testCase.policy, dnssecProbe: "ns:.").probe(testCase.domain)
        }
        var deliveries: [(Case, PostfixDelivery)] = []
        for policy in [PostTLSFinger.InsecureMXPolicy.dane, .may] {
            let mta = try PostfixMTA.start(.init(resolver: resolver, insecureMXPolicy: policy, dnssecProbe: "ns:."))
            defer { mta.stop() }
            let mine = cases.filter { $0.policy == policy }
            let submissions = try mine.map { try mta.send(to: $0.recipient) }
            for (testCase, submission) in zip(mine, submissions) {
                deliveries.append((testCase, try mta.awaitDelivery(of: submission)))
            }
        }
        return (reports, deliveries)
    }
}
