import DNSCore
import Testing
@testable import DANE

/// The domain verdict: the host a sender would deliver through (DESIGN.md, RFC 5321 §5.1).
@Suite struct DeliveryDecisionTests {
    func host(_ name: DomainName, _ preference: UInt16, _ verdicts: [DANEVerdict]) -> DeliveryDecision.Host {
        DeliveryDecision.Host(name: name, preference: preference,
                              attempts: verdicts.enumerated().map { DeliveryDecision.Attempt(address: "192.0.2.\($0.offset)", verdict: $0.element) })
    }

    @Test func primaryFailingDANEFallsToTheBackup() {
        let (verdict, chosen) = DeliveryDecision.domainVerdict([host("mx2.", 20, [.verified]), host("mx1.", 10, [.daneFailed])])
        #expect(verdict == .verified)
        #expect(chosen?.name == "mx2.")
    }

    @Test func noHostDeliversGivesThePrimarysFailure() {
        let (verdict, chosen) = DeliveryDecision.domainVerdict([host("mx1.", 10, [.daneFailed]), host("mx2.", 20, [.tlsRequiredFailed])])
        #expect(verdict == .daneFailed)
        #expect(chosen?.name == "mx1.")
    }

    /// One address family failing does not stop the host: the next address delivers.
    @Test func nextAddressOfTheSameHost() {
        #expect(host("mx.", 10, [.unreachable, .verified]).verdict == .verified)
        #expect(host("mx.", 10, [.dnsFailed, .unreachable]).verdict == .dnsFailed)
        #expect(host("mx.", 10, []).verdict == .unreachable)
    }

    @Test func equalPreferenceKeepsTheGivenOrder() {
        let (_, chosen) = DeliveryDecision.domainVerdict([host("b.", 10, [.untrusted]), host("a.", 10, [.verified])])
        #expect(chosen?.name == "b.")
    }

    @Test func noHosts() {
        #expect(DeliveryDecision.domainVerdict([]).verdict == .unreachable)
    }
}
