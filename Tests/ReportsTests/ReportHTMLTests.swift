import DANE
import Foundation
import MailProbe
import PeerTestSupport
import Testing
@testable import Reports

@Suite struct ReportHTMLTests {
    typealias F = ReportFixtures

    static func sample() throws -> ReportSummary {
        var reports: [DomainReport] = []
        for _ in 0..<6 { reports.append(try F.report(verdict: .verified, hosts: [F.verifiedHost()])) }
        for _ in 0..<3 { reports.append(try F.report(verdict: .untrusted, mxStatus: "insecure", hosts: [F.Host(addressStatus: "insecure")])) }
        // A reason from the data carrying markup: it must come out as text.
        let hostile = ReasonReport(step: "<script>alert(1)</script>", status: "\"bad\"", rule: "https://evil.example/x.css", detail: "")
        reports.append(try F.report(verdict: .daneFailed, broken: true,
                                    hosts: [F.Host(records: [F.ta211], usable: [F.ta211], verdict: .daneFailed, reason: hostile)]))
        return ReportAccumulator(reports).summary()
    }

    @Test func thePageIsSelfContainedAndEscapesTheData() throws {
        let html = ReportHTMLRenderer.render(try Self.sample(), title: "Scan <of> \"lab\"")
        #expect(!html.lowercased().contains("<script"))
        // The data's URL is text, never a reference: no attribute that loads anything.
        for attribute in ["src=", "href=", "srcset=", "data=\"", "action="] { #expect(!html.lowercased().contains(attribute), "\(attribute)") }
        #expect(html.contains("(https://evil.example/x.css)</td>"))
        // Without such data the page names no URL at all.
        let clean = ReportHTMLRenderer.render(ReportAccumulator([try F.report(verdict: .verified, hosts: [F.verifiedHost()])]).summary())
        #expect(!clean.contains("http://"))
        #expect(!clean.contains("https://"))
        #expect(!html.lowercased().contains("<link"))
        #expect(!html.lowercased().contains("<img"))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Scan &lt;of&gt; &quot;lab&quot;"))
        #expect(html.contains("<svg"))
    }

    @Test func barLengthsFollowTheCounts() throws {
        let svg = SVGBarChart(title: "t", bars: [.init("a", 10), .init("b", 5), .init("c", 0)]).render()
        #expect(svg.contains("data-key=\"a\" data-count=\"10\""))
        #expect(svg.contains("width=\"\(SVGBarChart.barArea)\" height=\"\(SVGBarChart.barHeight)\" data-key=\"a\""))
        #expect(svg.contains("width=\"\(SVGBarChart.barArea / 2)\" height=\"\(SVGBarChart.barHeight)\" data-key=\"b\""))
        #expect(svg.contains("width=\"0\" height=\"\(SVGBarChart.barHeight)\" data-key=\"c\""))
    }

    @Test func textAndJSONCarryTheCounts() throws {
        let summary = try Self.sample()
        let text = ReportTextRenderer.render(summary)
        #expect(text.contains("Domains: 10"))
        #expect(text.contains("verified"))
        let json = ReportJSONRenderer.render(summary)
        let decoded = try JSONDecoder().decode(ReportSummary.self, from: Data(json.utf8))
        #expect(decoded == summary)
    }

    /// What a reader sees: Chromium renders the page (no network: it has nothing to fetch),
    /// and the DOM it built has the headings, the counts, and one SVG bar per verdict with
    /// widths in proportion; a screenshot of it is a non-trivial PNG.
    @Test(.enabled(if: ExternalTool.available("chromium"))) func chromiumRendersWhatAReaderShouldSee() throws {
        let summary = try Self.sample()
        let directory = try TemporaryDirectory(prefix: "report-html")
        defer { directory.remove() }
        let page = try directory.write(ReportHTMLRenderer.render(summary, title: "Lab scan"), to: "report.html")
        let chromium = try ExternalTool.require("chromium")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.path)/profile",
                      "--no-first-run", "--disable-extensions"]
        let dump = try chromium.run(common + ["--dump-dom", page.absoluteString], in: directory.url, timeout: 120)
        try #require(dump.status == 0, "\(String(decoding: dump.stderr, as: UTF8.self))")
        let dom = String(decoding: dump.stdout, as: UTF8.self)
        #expect(dom.contains("<h1>Lab scan</h1>"))
        #expect(dom.contains("<h2>Verdicts</h2>"))
        #expect(dom.contains("<h2>TLSA parameters</h2>"))
        #expect(dom.contains("<h2>DNSSEC algorithms</h2>"))
        #expect(dom.contains("10 domains"))
        // The hostile reason stayed text: no script element in the DOM Chromium built.
        #expect(!dom.contains("<script"))
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // Verdict bars: six verified at full length, three untrusted at half, one dane-failed.
        let bars = Self.bars(in: dom)
        #expect(bars["verified"] == SVGBarChart.barArea)
        #expect(bars["untrusted"] == SVGBarChart.barArea / 2)
        #expect(bars["dane-failed"] == (SVGBarChart.barArea + 3) / 6)
        #expect(bars["plaintext"] == 0)

        let shot = directory.file("shot.png")
        let screenshot = try chromium.run(common + ["--screenshot=\(shot.path)", "--window-size=1000,1400", page.absoluteString],
                                          in: directory.url, timeout: 120)
        try #require(screenshot.status == 0)
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 10_000)
    }

    /// `data-key` → `width` of the first chart's bars (the verdicts) in a serialized DOM.
    static func bars(in dom: String) -> [String: Int] {
        guard let start = dom.range(of: "<section id=\"verdicts\">"), let end = dom.range(of: "</section>", range: start.upperBound..<dom.endIndex) else {
            return [:]
        }
        var result: [String: Int] = [:]
        for piece in dom[start.upperBound..<end.lowerBound].components(separatedBy: "<rect").dropFirst() {
            guard let width = attribute("width", in: piece).flatMap({ Int($0) }), let key = attribute("data-key", in: piece) else { continue }
            result[key] = width
        }
        return result
    }

    static func attribute(_ name: String, in text: String) -> String? {
        guard let range = text.range(of: " \(name)=\"") else { return nil }
        let rest = text[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }
}
