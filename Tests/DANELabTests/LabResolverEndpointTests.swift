import DANELab
import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation
import PeerTestSupport
import Testing

/// The lab's two recursive resolver endpoints, asked by BIND's `dig` and by our own resolver
/// in stub mode: AD on a secure answer, SERVFAIL with an Extended DNS Error on a bogus one
/// from the validating endpoint, the bogus answer without AD from the permissive one.
@Suite(.serialized, .enabled(if: ExternalTool.available("dig"), "dig (bind9-dnsutils) is not installed"))
struct LabResolverEndpointTests {
    static let scenarios = ["control-311", "bogus-tlsa-expired", "go6lab-3"].compactMap(LabCatalogue.scenario)
    static let bogusTLSA = "_25._tcp.mx.bogus-tlsa-expired.lab."

    func withLab<T: Sendable>(_ body: @Sendable (LabEndpoints) async throws -> T) async throws -> T {
        let hierarchy = try LabHierarchy(scenarios: Self.scenarios, now: LabRunner.referenceTime)
        return try await LabNetwork.run(hierarchy, scenarios: Self.scenarios) { try await body($0) }
    }

    /// `dig` on a GCD thread, so the cooperative pool stays free to answer it.
    /// One try with a long wait: the first query resolves the lab cold from its root (two
    /// walks, see `RecursiveAnswerer`), which takes seconds on two cores busy with the whole
    /// suite (seen in CI); a lost reply still fails, a slow one does not.
    static func dig(_ endpoint: DNSServerAddress, _ arguments: [String]) async throws -> String {
        let tool = try ExternalTool.require("dig")
        let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ToolResult, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try tool.run(["@\(endpoint.host)", "-p", "\(endpoint.port)", "+time=20", "+tries=1"] + arguments, timeout: 60)
                })
            }
        }
        return result.stdoutText
    }

    static func flags(_ output: String) -> [String] {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(";; flags:") }) else { return [] }
        return line.dropFirst(";; flags:".count).split(separator: ";").first.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    /// A TLSA 3 1 1 record in the answer (dig separates fields by tabs or spaces by name length).
    static func hasTLSA(_ output: String) -> Bool {
        output.replacingOccurrences(of: "\t", with: " ").contains("IN TLSA 3 1 1 ")
    }

    @Test func digSeesADOnASecureMXAndSERVFAILOnABogusTLSA() async throws {
        try await withLab { lab in
            let mx = try await Self.dig(lab.recursiveResolver, ["+dnssec", "MX", "control-311.lab."])
            #expect(mx.contains("status: NOERROR"), "\(mx)")
            #expect(Self.flags(mx).contains("ad"), "\(mx)")
            #expect(mx.contains("10 mx.control-311.lab."), "\(mx)")
            #expect(mx.contains("RRSIG\tMX 13"), "\(mx)")
            // Without DO: the answer and AD (dig sets AD in its query), no signatures.
            let plain = try await Self.dig(lab.recursiveResolver, ["MX", "control-311.lab."])
            #expect(Self.flags(plain).contains("ad"), "\(plain)")
            #expect(!plain.contains("RRSIG"), "\(plain)")

            let bogus = try await Self.dig(lab.recursiveResolver, ["+dnssec", "TLSA", Self.bogusTLSA])
            #expect(bogus.contains("status: SERVFAIL"), "\(bogus)")
            #expect(bogus.contains("EDE: 7 (Signature Expired)"), "\(bogus)")
            #expect(!Self.hasTLSA(bogus), "\(bogus)")

            let permissive = try await Self.dig(lab.permissiveResolver, ["+dnssec", "TLSA", Self.bogusTLSA])
            #expect(permissive.contains("status: NOERROR"), "\(permissive)")
            #expect(!Self.flags(permissive).contains("ad"), "\(permissive)")
            #expect(Self.hasTLSA(permissive), "\(permissive)")

            // Insecure (go6lab-3's MX host zone is unsigned): answered, no AD, on both.
            for endpoint in [lab.recursiveResolver, lab.permissiveResolver] {
                let insecure = try await Self.dig(endpoint, ["+dnssec", "TLSA", "_25._tcp.mx.go6lab-3-mx.lab."])
                #expect(insecure.contains("status: NOERROR"), "\(insecure)")
                #expect(!Self.flags(insecure).contains("ad"), "\(insecure)")
                #expect(Self.hasTLSA(insecure), "\(insecure)")
            }
            // A name that does not exist: NXDOMAIN, proven, so AD.
            let missing = try await Self.dig(lab.recursiveResolver, ["+dnssec", "A", "nowhere.control-311.lab."])
            #expect(missing.contains("status: NXDOMAIN"), "\(missing)")
            #expect(Self.flags(missing).contains("ad"), "\(missing)")
        }
    }

    @Test func ourStubResolverValidatesThroughBothEndpoints() async throws {
        try await withLab { lab in
            for endpoint in [lab.recursiveResolver, lab.permissiveResolver] {
                let stub = lab.stubResolver(through: endpoint, now: LabRunner.referenceTime)
                let mx = try await stub.resolve(try DomainName(parsing: "control-311.lab."), .mx)
                #expect(mx.status == .secure, "\(ResolutionReport.text(mx))")
                #expect(mx.value.rrsets.contains { $0.type == .mx })
                // The endpoint passes the records and signatures on (CD): local validation
                // finds the expired RRSIG whatever the endpoint's mode.
                let tlsa = try await stub.resolve(try DomainName(parsing: Self.bogusTLSA), .tlsa)
                #expect(tlsa.status == .bogus, "\(ResolutionReport.text(tlsa))")
                #expect(tlsa.extendedError == .signatureExpired)
                let host = try await stub.resolve(try DomainName(parsing: "mx.go6lab-3-mx.lab."), .a)
                #expect(host.status == .insecure, "\(ResolutionReport.text(host))")
                let missing = try await stub.resolve(try DomainName(parsing: "nowhere.control-311.lab."), .a)
                #expect(missing.status == .secure, "\(ResolutionReport.text(missing))")
                #expect(missing.value.denial == .nxDomain)
            }
        }
    }

    @Test func go6lab4IsCheckedThroughThePermissiveEndpoint() async throws {
        let scenario = try #require(LabCatalogue.scenario("go6lab-4"))
        #expect(scenario.resolver == .permissive)
        let outcome = try #require(try await LabRunner(scenarios: [scenario]).run().first)
        #expect(outcome.agree, "\(LabTable.explain(outcome))")
        #expect(outcome.observed[.dane] == .untrusted)
    }
}
