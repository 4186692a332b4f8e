import DANE
import DANELab
import DNSCore
import DNSResolver
import DNSTransport
import MailProbe
import PeerTestSupport
import Testing

/// What a host's lookups send, and when (`HostProbe.run`): under a secure MX RRset the TLSA
/// question leaves beside A and AAAA instead of after their answers; under an insecure one it
/// waits for the addresses to be secure (RFC 7672 §2.2.2). The verdicts are the catalogue's
/// either way.
@Suite(.serialized) struct HostLookupOrderTests {
    static let ids = ["control-311", "go6lab-1", "go6lab-2"]

    func events(_ id: String) async throws -> (DomainReport, [EventRecordingExchange.Event]) {
        let scenario = try #require(LabCatalogue.scenario(id))
        let hierarchy = try LabHierarchy(scenarios: [scenario], now: LabRunner.referenceTime)
        return try await LabNetwork.run(hierarchy, scenarios: [scenario]) { endpoints in
            var options = MailProbeOptions()
            options.addressMap = endpoints.smtpAddressMap
            options.now = LabRunner.referenceTime
            options.timeout = .seconds(5)
            let exchange = EventRecordingExchange(addressMap: endpoints.dnsAddressMap)
            let configuration = ResolverConfiguration(mode: .iterative(endpoints.rootHints), trustAnchors: endpoints.trustAnchors,
                                                      exchange: DNSExchangeOptions(attemptTimeout: .seconds(2), retries: 1))
            let resolver = Resolver(configuration: configuration, exchange: exchange,
                                    clock: ManualResolverClock(Int64(LabRunner.referenceTime.timeIntervalSince1970)))
            let report = await MailProbe(resolver: resolver, options: options).check(try DomainName(parsing: scenario.domain))
            #expect(report.verdict == scenario.expected.dane, "\(id): \(report.verdict)")
            return (report, exchange.events)
        }
    }

    /// Where the first question of `type` was sent, and where the first answer to one came back.
    static func sent(_ type: RRType, in events: [EventRecordingExchange.Event]) -> Int? {
        events.firstIndex { if case .sent(let question) = $0 { question.type == type } else { false } }
    }

    static func answered(_ type: RRType, in events: [EventRecordingExchange.Event]) -> Int? {
        events.firstIndex { if case .answered(let question) = $0 { question.type == type } else { false } }
    }

    /// control-311: signed domain and host. The TLSA question is sent before the host's A
    /// answer is back, and it is the one the decision used.
    @Test func secureMXSendsTheTLSAQuestionWithTheAddresses() async throws {
        let (report, events) = try await events("control-311")
        let tlsaSent = try #require(Self.sent(.tlsa, in: events), "\(events)")
        let addressAnswered = try #require(Self.answered(.a, in: events), "\(events)")
        #expect(tlsaSent < addressAnswered, "\(events)")
        #expect(report.hosts.first?.tlsa.status == "secure")
        #expect(events.filter { if case .sent(let question) = $0 { question.type == .tlsa } else { false } }.count == 1, "\(events)")
    }

    /// go6lab-1: unsigned domain (insecure MX), signed host. No TLSA question before the
    /// host's addresses are answered; then the one the decision asks for.
    @Test func insecureMXWaitsForTheAddresses() async throws {
        let (report, events) = try await events("go6lab-1")
        let tlsaSent = try #require(Self.sent(.tlsa, in: events), "\(events)")
        let addressAnswered = try #require(Self.answered(.a, in: events), "\(events)")
        #expect(addressAnswered < tlsaSent, "\(events)")
        #expect(report.hosts.first?.tlsa.status == "secure")
    }

    /// go6lab-2: signed domain, host in an unsigned zone. The early TLSA question goes out
    /// (the MX RRset is secure), but the decision does not use it: the host's addresses are
    /// insecure, so the report says the TLSA RRset was not looked up, and no TLSA matters.
    @Test func anEarlyAnswerTheRulesDoNotAskForIsDropped() async throws {
        let (report, _) = try await events("go6lab-2")
        #expect(report.hosts.first?.tlsa.status == "not-looked-up")
        #expect(report.hosts.first?.tlsa.queried == [])
    }
}
