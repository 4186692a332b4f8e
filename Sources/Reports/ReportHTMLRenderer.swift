/// `daneprobe report --html`: one self-contained page — inline CSS, charts as inline SVG, no
/// script, no font, image or style sheet from elsewhere — with every string from the data
/// escaped.
public enum ReportHTMLRenderer {
    public static func render(_ summary: ReportSummary, title: String = "daneprobe report") -> String {
        let title = HTMLEscaping.escape(title)
        var body = "<h1>\(title)</h1>\n"
        body += "<p id=\"domains\">\(summary.domains) domains"
            + (summary.unreadable > 0 ? ", \(summary.unreadable) unreadable lines skipped" : "") + "</p>\n"
        body += "<h2>Counts</h2>\n<table id=\"counts\"><thead><tr><th>measure</th><th>count</th><th>share</th><th>of</th></tr></thead><tbody>\n"
        for row in ReportRows.counts(summary) {
            body += "<tr><th scope=\"row\">\(HTMLEscaping.escape(row.label))</th><td class=\"count\">\(row.count)</td>"
                + "<td>\(ReportRows.percent(row.count, of: row.total))</td><td>\(HTMLEscaping.escape(row.totalLabel))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        body += section("verdicts", "Verdicts", summary.verdicts)
        body += section("tlsa-parameters", "TLSA parameters", summary.tlsaParameters.map { .init(ReportRows.describe(parameters: $0.key), $0.count) })
        if let algorithms = summary.dnssecAlgorithms {
            body += section("dnssec-algorithms", "DNSSEC algorithms", algorithms)
        } else {
            body += "<section id=\"dnssec-algorithms\"><h2>DNSSEC algorithms</h2><p>Not recorded in the input.</p></section>\n"
        }
        body += "<section id=\"failure-reasons\"><h2>Top failure reasons</h2>\n"
        if summary.failureReasons.isEmpty {
            body += "<p>None.</p>\n"
        } else {
            body += "<table><thead><tr><th>reason</th><th>domains</th></tr></thead><tbody>\n"
            for reason in summary.failureReasons {
                body += "<tr><td>\(HTMLEscaping.escape(reason.key))</td><td class=\"count\">\(reason.count)</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += "</section>\n"
        if !summary.notes.isEmpty {
            body += "<section id=\"notes\"><h2>Notes</h2><ul>" + summary.notes.map { "<li>\(HTMLEscaping.escape($0))</li>" }.joined() + "</ul></section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(title)</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
        td.count { text-align: right; font-variant-numeric: tabular-nums; }
        svg.chart text { font-size: 12px; fill: #222; }
        svg.chart rect.bar { fill: #3465a4; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func section(_ id: String, _ heading: String, _ tallies: [ReportSummary.Tally]) -> String {
        var html = "<section id=\"\(id)\"><h2>\(HTMLEscaping.escape(heading))</h2>\n"
        html += tallies.isEmpty ? "<p>None.</p>" : SVGBarChart(title: heading, bars: tallies).render()
        return html + "\n</section>\n"
    }
}
