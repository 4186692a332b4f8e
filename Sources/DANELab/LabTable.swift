import MailProbe
/// The text table `daneprobe lab` prints: id | story | expected | observed, a mark on each
/// disagreeing row, the 2015 and today's Postfix lines under the `go6lab-*` rows, and a summary.
public enum LabTable {
    public static func render(_ outcomes: [LabOutcome]) -> String {
        let headers = ["id", "story", "expected", "observed"]
        let rows = outcomes.map { [$0.scenario.id, $0.scenario.story, $0.expectedText, $0.observedText] }
        var widths = headers.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String], mark: String) -> String {
            mark + zip(cells, widths).map { cell, width in cell.padding(toLength: width, withPad: " ", startingAt: 0) }
                .joined(separator: " | ").trimmingTrailingSpaces()
        }
        var out = [line(headers, mark: "  "), "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        for (outcome, row) in zip(outcomes, rows) {
            out.append(line(row, mark: outcome.agree ? "  " : "✗ "))
            if let postfix = outcome.scenario.postfix {
                out.append("      Postfix 2015:  \(postfix.in2015)")
                out.append("      Postfix today: \(postfix.today)")
            }
        }
        let failed = outcomes.filter { !$0.agree }
        out.append("")
        out.append("expected: --insecure-mx-policy dane / may (one word when they agree)")
        out.append(failed.isEmpty ? "\(outcomes.count) scenarios, all agree"
                                  : "\(outcomes.count) scenarios, \(failed.count) disagree: \(failed.map(\.scenario.id).joined(separator: ", "))")
        return out.joined(separator: "\n") + "\n"
    }
}

extension LabTable {
    /// The check reports behind one row, one per policy (both only when they differ).
    public static func explain(_ outcome: LabOutcome) -> String {
        let seconds = Double(outcome.duration.components.seconds) + Double(outcome.duration.components.attoseconds) / 1e18
        var out = "== \(outcome.scenario.id): expected \(outcome.expectedText), observed \(outcome.observedText)"
            + " (\(String(format: "%.2f", seconds)) s)\n"
        let reports = LabOutcome.policies.compactMap { policy in outcome.reports[policy].map { (policy, $0) } }
        let distinct = Set(reports.map { $0.1.verdict }).count > 1 || !outcome.agree
        for (policy, report) in distinct ? reports : Array(reports.prefix(1)) {
            out += "-- --insecure-mx-policy \(policy.rawValue)\n" + report.text()
            if !out.hasSuffix("\n") { out += "\n" }
        }
        return out
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
