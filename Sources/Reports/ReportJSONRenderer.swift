import Foundation

/// `daneprobe report --json`: the summary as one JSON object, keys sorted.
public enum ReportJSONRenderer {
    public static func render(_ summary: ReportSummary) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(summary), let text = String(data: data, encoding: .utf8) else { return "{}\n" }
        return text + "\n"
    }
}
