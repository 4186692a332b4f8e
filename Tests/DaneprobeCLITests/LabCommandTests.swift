import Foundation
import Testing

/// `daneprobe lab`, run as a user would: the README's first command.
@Suite struct LabCommandTests {
    @Test func theEmbeddedLabPasses() throws {
        let started = Date()
        let result = try CLI.run(["lab"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("go6lab-1"))
        #expect(result.stdout.contains("Postfix 2015:"))
        #expect(result.stdout.contains("all agree"))
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test func jsonIsOneObjectPerScenario() throws {
        let result = try CLI.run(["lab", "--json", "--only", "go6lab-1", "control-311"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["id", "story", "domain", "expected", "observed", "agree"] { #expect(object[key] != nil, "\(key)") }
            #expect(object["agree"] as? Bool == true)
        }
        #expect(lines[0].contains("\"observed\":{\"dane\":\"trusted\",\"may\":\"untrusted\"}"))
    }

    @Test func aScenarioBrokenOnPurposeExitsOne() throws {
        let result = try CLI.run(["lab", "--only", "control-311", "denial-nsec", "--sabotage", "control-311"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("✗ control-311"))
        #expect(result.stdout.contains("== control-311: expected verified, observed dane-failed ("))
    }

    @Test func anUnknownScenarioIsAUsageError() throws {
        #expect(try CLI.run(["lab", "--only", "no-such-scenario"]).status == 64)
    }
}
