import DANE
import DANELab
import Testing

/// The whole lab, in-process: every scenario's observed verdicts against the catalogue, and
/// scenarios broken on purpose, which the runner must report.
@Suite struct LabRunTests {
    @Test func everyScenarioAgreesWithTheCatalogue() async throws {
        let outcomes = try await LabRunner().run()
        #expect(outcomes.map(\.scenario.id) == LabCatalogue.all.map(\.id))
        for outcome in outcomes {
            #expect(outcome.agree, "\(LabTable.explain(outcome))")
            #expect(outcome.observed.count == LabOutcome.policies.count)
        }
    }

    @Test func aWrongExpectationIsReportedAsADisagreement() async throws {
        var wrong = try #require(LabCatalogue.scenario("control-311"))
        wrong.expected = .both(.daneFailed)
        let control = try #require(LabCatalogue.scenario("denial-nsec"))
        let outcomes = try await LabRunner(scenarios: [wrong, control]).run()
        #expect(outcomes.map(\.agree) == [false, true])
        #expect(outcomes.first?.observed[.dane] == .verified)
        let table = LabTable.render(outcomes)
        #expect(table.contains("✗ control-311"))
        #expect(table.contains("1 disagree: control-311"))
    }

    @Test func aCorruptedTLSAIsReportedAsADisagreement() async throws {
        let broken = try #require(LabCatalogue.scenario("control-311")).sabotaged()
        let ta = try #require(LabCatalogue.scenario("dane-ta-211-mx")).sabotaged()
        let outcomes = try await LabRunner(scenarios: [broken, ta]).run()
        #expect(outcomes.map(\.agree) == [false, false])
        // The corrupted record still decides: DANE required, nothing matches.
        #expect(outcomes.map { $0.observed[.dane] } == [.daneFailed, .daneFailed])
        #expect(outcomes.allSatisfy { $0.jsonLine.contains("\"agree\":false") })
    }

    @Test func theInsecureMXPolicyDecidesGo6lab1() async throws {
        let scenario = try #require(LabCatalogue.scenario("go6lab-1"))
        let outcome = try #require(try await LabRunner(scenarios: [scenario]).run().first)
        #expect(outcome.observed[.dane] == .trusted)
        #expect(outcome.observed[.may] == .untrusted)
        #expect(outcome.expectedText == "trusted / untrusted")
        #expect(outcome.jsonLine.contains("\"expected\":{\"dane\":\"trusted\",\"may\":\"untrusted\"}"))
    }
}
