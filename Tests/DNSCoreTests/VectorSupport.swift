import DNSCore
import Foundation
import Testing

/// Test helpers: vector files from `Vectors/`, a minimal record splitter for the one-record-per-
/// line (or parenthesized) zone excerpts there, and hex literals. Not a zone-file parser: no
/// `$INCLUDE`, no relative owners, no quoted blanks (none occur in these vectors).
enum Vectors {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func text(_ path: String) throws -> String {
        guard let base = Bundle.module.resourceURL else { throw Failure(description: "no resource bundle") }
        let url = base.appendingPathComponent("Vectors").appendingPathComponent(path)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// One record of a vector file: owner as written, type, RDATA text on one line.
    struct Record: CustomStringConvertible {
        var owner: String
        var type: RRType
        var rdata: String
        var line: Int

        var description: String { "line \(line): \(owner) \(type) \(rdata)" }

        /// The RDATA parsed by the layout under test.
        func parse(origin: DomainName? = nil) throws -> RData {
            try RData(type: type, text: rdata, origin: origin)
        }
    }

    /// Splits zone text into records: comments dropped, parenthesized lines joined, `$`
    /// directives skipped, a line starting with a blank inheriting the previous owner, TTL and
    /// class tokens skipped.
    static func records(in text: String) throws -> [Record] {
        var records: [Record] = []
        var pending = ""
        var depth = 0
        var startLine = 0
        var lastOwner = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let semicolon = line.firstIndex(of: ";") { line = line[..<semicolon] }
            if depth == 0 {
                pending = String(line)
                startLine = index + 1
            } else {
                pending += " " + line
            }
            depth += line.filter { $0 == "(" }.count - line.filter { $0 == ")" }.count
            if depth > 0 { continue }
            let logical = pending.replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ")
            if logical.trimmingCharacters(in: .whitespaces).isEmpty || logical.hasPrefix("$") { continue }
            var tokens = logical.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let owner: String
            if logical.first == " " || logical.first == "\t" {
                owner = lastOwner
            } else {
                owner = tokens.removeFirst()
                lastOwner = owner
            }
            while let first = tokens.first, first.allSatisfy(\.isNumber) || first == "IN" { tokens.removeFirst() }
            guard let typeToken = tokens.first, let type = RRType(mnemonic: typeToken) else {
                throw Failure(description: "line \(startLine): no type in \"\(logical)\"")
            }
            records.append(Record(owner: owner, type: type, rdata: tokens.dropFirst().joined(separator: " "), line: startLine))
        }
        return records
    }

    static func records(_ path: String, type: RRType) throws -> [Record] {
        try records(in: text(path)).filter { $0.type == type }
    }
}

/// The error `body` throws, if it throws one of type `E`.
func thrown<E: Error>(_: E.Type = E.self, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch let error as E {
        return error
    } catch {
        return nil
    }
}

/// Which layout the registry maps `type` to, comparable in `#expect`.
func layout(_ type: RRType) -> ObjectIdentifier? {
    RData.format(for: type).map { ObjectIdentifier($0) }
}
