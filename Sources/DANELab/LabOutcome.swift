import DANE
import Foundation
import MailProbe

/// One scenario's result: the expected and observed domain verdict under each policy.
public struct LabOutcome: Sendable {
    public var scenario: LabScenario
    /// Observed verdict by policy, and the report it came from.
    public var observed: [InsecureMXPolicy: DANEVerdict]
    public var reports: [InsecureMXPolicy: DomainReport]
    /// Wall time of the scenario's checks (every policy).
    public var duration: Duration

    public init(scenario: LabScenario, reports: [InsecureMXPolicy: DomainReport], duration: Duration = .zero) {
        self.scenario = scenario
        self.reports = reports
        self.duration = duration
        self.observed = reports.mapValues(\.verdict)
    }

    /// The policies the lab runs, in the order it shows them.
    public static let policies: [InsecureMXPolicy] = [.dane, .may]

    public func agrees(under policy: InsecureMXPolicy) -> Bool {
        observed[policy] == scenario.expected.verdict(for: policy)
    }

    /// Every policy that was run agrees with the catalogue.
    public var agree: Bool { !observed.isEmpty && observed.keys.allSatisfy(agrees(under:)) }

    /// The verdicts as the table shows them: one word when both policies give it, else
    /// `dane / may`.
    static func words(_ verdict: (InsecureMXPolicy) -> DANEVerdict?) -> String {
        let words = policies.map { verdict($0)?.rawValue ?? "-" }
        return Set(words).count == 1 ? words[0] : words.joined(separator: " / ")
    }

    public var expectedText: String { Self.words { scenario.expected.verdict(for: $0) } }
    public var observedText: String { Self.words { observed[$0] } }

    /// One `--json` line: `id`, `story`, `domain`, `expected` and `observed` (objects keyed by
    /// `--insecure-mx-policy`), `agree`; for the `go6lab-*` rows also `postfix_2015` and
    /// `postfix_today`.
    public var jsonLine: String {
        struct Line: Encodable {
            var id: String
            var story: String
            var domain: String
            var expected: [String: String]
            var observed: [String: String]
            var agree: Bool
            var postfix_2015: String?
            var postfix_today: String?
        }
        var expected: [String: String] = [:]
        var observed: [String: String] = [:]
        for policy in Self.policies {
            expected[policy.rawValue] = scenario.expected.verdict(for: policy).rawValue
            if let verdict = self.observed[policy] { observed[policy.rawValue] = verdict.rawValue }
        }
        let line = Line(id: scenario.id, story: scenario.story, domain: scenario.domain, expected: expected, observed: observed,
                        agree: agree, postfix_2015: scenario.postfix?.in2015, postfix_today: scenario.postfix?.today)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(line)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
