import DANE
import DANELab
import Foundation
import Testing

@Suite struct LabGeneratorTests {
    @Test func theMixIsHonouredInEveryPrefix() {
        let generator = LabGenerator(mix: .init([.verified: 3, .plaintext: 1, .nullMX: 0]))
        let domains = generator.generate(40)
        #expect(domains.count == 40)
        #expect(domains.filter { $0.kind == .verified }.count == 30)
        #expect(domains.filter { $0.kind == .plaintext }.count == 10)
        #expect(domains.prefix(4).map(\.kind) == [.verified, .verified, .verified, .plaintext])
        #expect(LabGenerator(mix: .init([:])).generate(5).isEmpty)
    }

    @Test func domainsAndHostAddressesAreUniqueAndClearOfTheCatalogue() {
        let domains = LabGenerator().generate(600)
        let names = domains.map(\.scenario.domain)
        #expect(Set(names).count == names.count)
        let addresses = domains.flatMap { $0.scenario.hosts.flatMap(\.addresses) }
        #expect(Set(addresses).count == addresses.count)
        let catalogue = Set(LabCatalogue.all.flatMap { $0.hosts.flatMap(\.addresses) })
        #expect(catalogue.isDisjoint(with: addresses))
        #expect(Set(LabCatalogue.all.map(\.domain)).isDisjoint(with: names))
        for domain in domains {
            #expect(domain.scenario.expected == .both(domain.kind.expected))
            #expect(domain.scenario.hosts.count == domain.kind.hostCount)
        }
    }

    /// Generated scenarios mint and sign beside the catalogue's in one hierarchy.
    @Test func theHierarchyBuildsWithTheCatalogue() throws {
        let generated = LabGenerator().generate(22).map(\.scenario)
        let hierarchy = try LabHierarchy(scenarios: LabCatalogue.all + generated, now: LabRunner.referenceTime)
        let zones = hierarchy.zonesByServer.values.reduce(0) { $0 + $1.count }
        #expect(zones >= generated.count + 2)
    }
}
