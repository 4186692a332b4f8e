import Foundation
import Testing

/// `daneprobe report` run as a user would, on JSON lines in `check --json`'s schema.
@Suite struct ReportCommandTests {
    /// One verified domain, as `check --json` writes it (trimmed to the fields it always has).
    static let verifiedLine = #"{"domain": "d0.", "verdict": "verified", "insecureMXPolicy": "dane", "mx": {"status": "secure", "rcode": "NOERROR", "implicit": false, "nullMX": false, "hosts": [{"name": "mx.a.", "preference": 10}], "reasons": []}, "hosts": [{"name": "mx.a.", "preference": 10, "addresses": [{"family": "ipv4", "status": "secure", "rcode": "NOERROR", "addresses": ["192.0.2.1"], "reasons": []}], "aliases": [], "tlsa": {"status": "secure", "queried": [], "records": ["3 1 1 AB"], "usable": ["3 1 1 AB"], "reasons": []}, "requirement": "dane", "connections": [{"address": "192.0.2.1:25", "starttls": "established", "chain": [], "match": {"record": "3 1 1 AB", "depth": 0}, "verdict": "verified", "summary": "", "reasons": []}], "verdict": "verified", "reasons": [], "skipped": false}], "broken": false, "reasons": [], "advice": []}"#

    @Test func textJSONAndHTMLFromJSONLines() throws {
        let input = Array(repeating: Self.verifiedLine, count: 3).joined(separator: "\n") + "\nnot a report\n"
        try CLI.withTemporaryFile(input, name: "results.jsonl") { path in
            let html = path + ".html"
            let text = try CLI.run(["report", path, "--html", html])
            #expect(text.status == 0)
            #expect(text.stdout.contains("Domains: 3 (1 unreadable lines skipped)"))
            let page = try String(contentsOfFile: html, encoding: .utf8)
            #expect(page.contains("data-key=\"verified\" data-count=\"3\""))
            #expect(!page.contains("<script"))
            let json = try CLI.run(["report", path, "--json"])
            #expect(json.status == 0)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["domains"] as? Int == 3)
            #expect(object?["matching"] as? Int == 3)
        }
    }

    @Test func aMissingFileIsAUsageError() throws {
        let result = try CLI.run(["report", "/nonexistent/results.jsonl"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
    }
}
