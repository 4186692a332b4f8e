import PeerTestSupport
import DNSCore
import DNSZoneFile
import Foundation

/// One example response of RFC 4035 / RFC 5155 Appendix B, read from the vector files (see
/// Vectors/README.md for the layout).
struct AppendixBCase: Sendable, CustomTestStringConvertible {
    var title: String
    var question: Question
    var authoritative: Bool
    var rcode: RCode
    var answer: [ResourceRecord]
    var authority: [ResourceRecord]
    var additional: [ResourceRecord]

    var testDescription: String { title }

    static func load(_ path: String) throws -> [AppendixBCase] {
        let text = try String(contentsOf: TestZones.vector(path), encoding: .utf8)
        var cases: [AppendixBCase] = []
        for chunk in text.components(separatedBy: "; ==== ").dropFirst() {
            let lines = chunk.components(separatedBy: "\n")
            let title = lines[0].trimmingCharacters(in: .whitespaces)
            var header = "", questionLine = ""
            var sections: [String: [String]] = [:]
            var current: String?
            for line in lines.dropFirst() {
                if line.hasPrefix(";; Header:") { header = line; continue }
                if line.hasPrefix(";; question:") { questionLine = String(line.dropFirst(";; question:".count)); continue }
                if line.hasPrefix(";; Answer") { current = "answer"; continue }
                if line.hasPrefix(";; Authority") { current = "authority"; continue }
                if line.hasPrefix(";; Additional") { current = "additional"; continue }
                // Prose after the sections ("; The query returned …") ends the records.
                if line.hasPrefix("; ") && current == "additional" && !(sections["additional"]?.isEmpty ?? true) { current = nil }
                if let current { sections[current, default: []].append(line) }
            }
            let fields = questionLine.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3, let type = RRType(mnemonic: fields[2]) else { throw VectorError.bad(title, "question \(questionLine)") }
            let rcodeText = header.components(separatedBy: "RCODE=").last.flatMap { UInt16($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            cases.append(AppendixBCase(
                title: title,
                question: Question(name: try DomainName(parsing: String(fields[0])), type: type),
                authoritative: header.contains(" AA "),
                rcode: RCode(rawValue: rcodeText),
                answer: try parse(sections["answer"] ?? [], title),
                authority: try parse(sections["authority"] ?? [], title),
                additional: try parse(sections["additional"] ?? [], title)
            ))
        }
        return cases
    }

    private static func parse(_ lines: [String], _ title: String) throws -> [ResourceRecord] {
        let origin = try DomainName(parsing: "example.")
        let result = ZoneFileParser(origin: origin, defaultTTL: 3600).parse(text: lines.joined(separator: "\n"))
        if let error = result.errors.first { throw VectorError.bad(title, "\(error)") }
        return result.records
    }

    enum VectorError: Error { case bad(String, String) }
}

import Testing
