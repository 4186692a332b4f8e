import DANE
import DANELab
import DNSCore
import Foundation
import Testing
import X509

/// The catalogue as data, and the minting: no lab needs to run for these.
@Suite struct LabCatalogueTests {
    /// Every case issue 7 names has a row.
    static let required = [
        "go6lab-1", "go6lab-2", "go6lab-3", "go6lab-4", "control-311", "mitm-blocked", "bogus-tlsa-expired", "bogus-ds-mx",
        "bogus-ds-address", "bogus-ds-tlsa", "denial-nsec", "denial-nsec3", "dane-ta-201-mx", "dane-ta-201-domain",
        "dane-ta-201-neither", "dane-ta-211-mx", "dane-ta-211-domain", "dane-ta-211-neither", "dane-ta-not-sent", "dane-ta-expired-leaf", "unusable-only",
        "no-starttls", "cname-tlsa-at-target", "cname-tlsa-at-alias", "cname-tlsa-conflicting", "implicit-mx", "expired-leaf-dane-ee",
        "primary-fails", "dane-ee-301", "dane-ee-312", "dane-ee-310", "bad-and-good", "alg-8", "alg-13", "alg-15",
        "nsec3-iterations-151", "unsupported-algorithm", "tlsa-notimp", "tlsa-timeout", "ipv6-only", "dual-stack-aaaa-bogus",
        "dual-stack-a-bogus",
    ]

    @Test func coversTheIssueList() {
        let ids = Set(LabCatalogue.all.map(\.id))
        for id in Self.required { #expect(ids.contains(id), "missing \(id)") }
    }

    @Test func idsZonesAndAddressesAreUnique() throws {
        let all = LabCatalogue.all
        #expect(Set(all.map(\.id)).count == all.count)
        let origins = all.flatMap { $0.zones.map(\.origin) }
        #expect(Set(origins).count == origins.count)
        let addresses = all.flatMap { $0.hosts.flatMap(\.addresses) }
        #expect(Set(addresses).count == addresses.count)
        for scenario in all {
            #expect(scenario.domain.hasSuffix("." + LabCatalogue.tld), "\(scenario.id)")
            _ = try DomainName(parsing: scenario.domain)
            for zone in scenario.zones { #expect(zone.origin.hasSuffix(zone.parent), "\(zone.origin)") }
        }
    }

    @Test func only2015RowsCarryPostfixText() {
        for scenario in LabCatalogue.all {
            #expect((scenario.postfix != nil) == scenario.id.hasPrefix("go6lab-"), "\(scenario.id)")
        }
    }

    @Test func mintingIsReproducibleAndAtTheReferenceTime() throws {
        let now = LabRunner.referenceTime
        let a = try LabPKI(now: now), b = try LabPKI(now: now)
        #expect(a.ca.key.rawRepresentation == b.ca.key.rawRepresentation)
        #expect(try LabPKI(now: now, seed: 7).ca.key.rawRepresentation != a.ca.key.rawRepresentation)
        let spec = LabCertificateSpec("mx", dnsNames: ["mx.example.lab."], issuer: .labCA)
        let one = try a.mint(spec, label: "x/mx"), two = try b.mint(spec, label: "x/mx")
        #expect(one.key.rawRepresentation == two.key.rawRepresentation)
        #expect(one.certificate.issuer == a.ca.certificate.subject)
        #expect(one.certificate.notValidBefore < now && now < one.certificate.notValidAfter)
        let names = try one.certificate.extensions.subjectAlternativeNames
        #expect(names.map(Array.init) == [.dnsName("mx.example.lab")])
        let expired = try a.mint(LabCertificateSpec("old", dnsNames: ["mx.example.lab."], expired: true), label: "x/old")
        #expect(expired.certificate.notValidAfter < now)
        #expect(expired.certificate.issuer == expired.certificate.subject)
    }

    @Test func theHierarchyIsBuiltForEveryScenario() throws {
        let hierarchy = try LabHierarchy(scenarios: LabCatalogue.all, now: LabRunner.referenceTime)
        let zones = hierarchy.zonesByServer.values.flatMap { $0 }
        #expect(zones.count == LabCatalogue.all.flatMap(\.zones).count + 2)
        #expect(!hierarchy.rootDS.isEmpty)
        let certificates = LabCatalogue.all.reduce(0) { $0 + $1.certificates.count }
        #expect(hierarchy.certificates.count == certificates)
    }

    @Test func sabotageBreaksDataOrExpectation() throws {
        let control = try #require(LabCatalogue.scenario("control-311"))
        let broken = control.sabotaged()
        #expect(broken.expected == control.expected)
        #expect(broken.zones[0].tlsa.allSatisfy { if case .corrupted = $0.subject { true } else { false } })
        let denial = try #require(LabCatalogue.scenario("denial-nsec")).sabotaged()
        #expect(denial.expected.dane != .untrusted)
    }

    @Test func theCatalogueRejectsATLSAForAnUnknownCertificate() throws {
        var scenario = try #require(LabCatalogue.scenario("control-311"))
        scenario.zones[0].tlsa = [LabTLSASpec("_25._tcp.mx", 3, 1, 1, of: .leaf("nobody"))]
        #expect(throws: LabHierarchy.BuildError.self) { try LabHierarchy(scenarios: [scenario], now: LabRunner.referenceTime) }
    }
}
