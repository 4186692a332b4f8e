/// `daneprobe report`'s text form: one table of counts with shares, then the distributions.
public enum ReportTextRenderer {
    public static func render(_ summary: ReportSummary) -> String {
        var lines: [String] = []
        let rows = ReportRows.counts(summary)
        let width = rows.map(\.label.count).max() ?? 0
        lines.append("Domains: \(summary.domains)" + (summary.unreadable > 0 ? " (\(summary.unreadable) unreadable lines skipped)" : ""))
        for row in rows {
            let label = row.label.padding(toLength: width, withPad: " ", startingAt: 0)
            let count = String(row.count).leftPadded(to: 8)
            lines.append("  \(label)  \(count)  \(ReportRows.percent(row.count, of: row.total).leftPadded(to: 6)) of \(row.totalLabel)")
        }
        func distribution(_ title: String, _ tallies: [ReportSummary.Tally], total: Int) {
            lines.append("")
            lines.append(title)
            if tallies.isEmpty { lines.append("  (none)"); return }
            let keyWidth = tallies.map(\.key.count).max() ?? 0
            for tally in tallies {
                lines.append("  \(tally.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0))  \(String(tally.count).leftPadded(to: 8))  \(ReportRows.percent(tally.count, of: total).leftPadded(to: 6))")
            }
        }
        distribution("Verdicts", summary.verdicts, total: summary.domains)
        distribution("Top failure reasons", summary.failureReasons, total: summary.domains)
        distribution("TLSA parameters (usage selector matching-type), over hosts",
                     summary.tlsaParameters.map { .init(ReportRows.describe(parameters: $0.key), $0.count) },
                     total: summary.tlsaParameters.reduce(0) { $0 + $1.count })
        if let algorithms = summary.dnssecAlgorithms {
            distribution("DNSSEC algorithms", algorithms, total: algorithms.reduce(0) { $0 + $1.count })
        }
        if !summary.notes.isEmpty {
            lines.append("")
            lines += summary.notes.map { "Note: \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
