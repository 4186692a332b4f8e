import DNSCore
import ScanStore

/// The input of `daneprobe scan`: one domain a line, or a Tranco-style `rank,domain` CSV.
/// Blank lines and `#` comments are skipped; a line that is not a domain is a `Problem` with
/// its line number, never fatal. Pure: lines in, entries and problems out.
public struct ScanInput: Sendable {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var reason: String
        public var description: String { "line \(line): \(reason): \"\(text.prefix(80))\"" }
    }

    /// The parsed line: a domain to scan, nothing (blank, comment), or a problem.
    public enum Line: Sendable, Hashable {
        case entry(ScanEntry)
        case skip
        case problem(Problem)
    }

    /// Parses line `number` (1-based). `rank,domain` takes the second field; a CSV header
    /// (`rank,domain`) or any first field that is not a number is a problem.
    public static func parse(_ raw: Substring, number: Int) -> Line {
        let text = raw.trimmingCharacters(in: " \t\r")
        if text.isEmpty || text.hasPrefix("#") { return .skip }
        var rank: Int?
        var name = Substring(text)
        if let comma = text.firstIndex(of: ",") {
            let first = text[..<comma].trimmingCharacters(in: " \t")
            guard let value = Int(first) else {
                return .problem(Problem(line: number, text: text, reason: "expected rank,domain with a numeric rank"))
            }
            rank = value
            name = Substring(text[text.index(after: comma)...].trimmingCharacters(in: " \t"))
            if name.contains(",") { return .problem(Problem(line: number, text: text, reason: "expected rank,domain: too many fields")) }
        }
        guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else {
            return .problem(Problem(line: number, text: text, reason: "not a domain name"))
        }
        if name.contains("\u{FFFD}") {
            return .problem(Problem(line: number, text: text, reason: "bytes that are not UTF-8"))
        }
        // Mail domains are host names (RFC 5321 §2.3.5); an internationalized one is looked up
        // by its A-label (RFC 5890 §2.3.2.1), which this reader does not compute.
        if !name.allSatisfy(\.isASCII) {
            return .problem(Problem(line: number, text: text, reason: "not ASCII: give an internationalized domain in its xn-- (A-label) form"))
        }
        let absolute = name.hasSuffix(".") ? String(name) : name + "."
        guard absolute != ".", let parsed = try? DomainName(parsing: absolute) else {
            return .problem(Problem(line: number, text: text, reason: "not a domain name"))
        }
        return .entry(ScanEntry(domain: ScanStore.key("\(parsed)"), rank: rank, line: number))
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
