import PeerTestSupport
import DNSCore
import DNSServer
import Foundation
import Testing

/// Our answers against NSD's for the same zone files: `dig +dnssec +norec` to each, every
/// section compared as a set of records (order is free within a section: RFC 1035 §4.1 gives
/// none, and the two servers order additional data differently). TTLs are compared as printed:
/// authoritative servers do not decrement them.
@Suite(.serialized, .enabled(if: ExternalTool.available("nsd", "dig"), "nsd or dig (Debian's nsd, bind9-dnsutils) is not installed"))
struct NSDInteropTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var zoneFile: String
        var origin: String
        var queries: [(String, String)]
        var testDescription: String { zoneFile }
    }

    static let cases = [
        Case(zoneFile: "rfc4035/appendix-A.zone", origin: "example.", queries: [
            ("x.w.example.", "MX"), ("ml.example.", "A"), ("ns1.example.", "MX"), ("mc.a.example.", "MX"),
            ("mc.b.example.", "MX"), ("a.z.w.example.", "MX"), ("a.z.w.example.", "AAAA"), ("example.", "DS"),
            ("example.", "DNSKEY"), ("example.", "SOA"), ("example.", "NS"), ("y.w.example.", "A"), ("a.example.", "DS"),
            ("b.example.", "DS"), ("ns1.a.example.", "A"), ("xx.example.", "AAAA"), ("*.w.example.", "MX"), ("ai.example.", "HINFO"),
        ]),
        Case(zoneFile: "rfc5155/appendix-A.zone", origin: "example.", queries: [
            ("a.c.x.w.example.", "A"), ("ns1.example.", "MX"), ("y.w.example.", "A"), ("mc.c.example.", "MX"),
            ("a.z.w.example.", "MX"), ("a.z.w.example.", "AAAA"), ("example.", "DS"), ("x.w.example.", "MX"),
            ("a.example.", "DS"), ("c.example.", "DS"), ("example.", "NSEC3PARAM"), ("nothing.example.", "TXT"),
        ]),
    ]

    @Test(arguments: cases)
    func sameAnswersAsNSD(_ testCase: Case) async throws {
        let file = TestZones.vector(testCase.zoneFile)
        let zone = try TestZones.zone(file: testCase.zoneFile, origin: testCase.origin)
        try await Self.compare(zone: zone, file: file, queries: testCase.queries)
    }

    /// The unsigned zone of the RFC 1034 tests: CNAME chains, DNAME, wildcards, a delegation.
    @Test func sameAnswersAsNSDForThePlainZone() async throws {
        let directory = try TemporaryDirectory(prefix: "plain-zone")
        defer { directory.remove() }
        let file = try directory.write("$ORIGIN example.\n$TTL 3600\n" + PlainZone.text + "\n", to: "plain.zone")
        try await Self.compare(zone: try PlainZone.zone(), file: file, queries: [
            ("www.example.", "A"), ("alias.example.", "A"), ("chain1.example.", "AAAA"), ("dangling.example.", "A"),
            ("out.example.", "A"), ("example.", "MX"), ("srv.example.", "SRV"), ("a.wild.example.", "TXT"),
            ("a.b.wild.example.", "MX"), ("a.wild.example.", "AAAA"), ("wild.example.", "TXT"), ("x.cwild.example.", "A"),
            ("ent.example.", "A"), ("host.sub.example.", "A"), ("sub.example.", "NS"), ("sub.example.", "DS"),
            ("a.b.d.example.", "A"), ("d.example.", "DNAME"), ("nope.example.", "A"), ("www.example.", "ANY"),
        ])
    }

    static func compare(zone: Zone, file: URL, queries: [(String, String)]) async throws {
        let nsd = try NSDServer.start(zones: [(origin: zone.origin.description, file: file)])
        defer { nsd.stop() }
        try await LoopbackServer.run(try TestZones.answerer(zone)) { ours in
            for (qname, qtype) in queries {
                let theirs = try DigAnswer(port: nsd.port, qname, qtype)
                let mine = try DigAnswer(port: ours, qname, qtype)
                #expect(mine.header == theirs.header, "\(qname) \(qtype) header")
                for section in ["answer", "authority", "additional"] {
                    let a = mine.sections[section] ?? [], b = theirs.sections[section] ?? []
                    #expect(a == b, "\(qname) \(qtype) \(section): ours only \(a.subtracting(b).sorted()), NSD only \(b.subtracting(a).sorted())")
                }
                // The same query through Knot's kdig, which parses the wire on its own (its text
                // differs from dig's, e.g. unbroken base64, so it is compared with NSD through kdig).
                if ExternalTool.available("kdig") {
                    let kTheirs = try KdigAnswer(port: nsd.port, qname, qtype)
                    let kMine = try KdigAnswer(port: ours, qname, qtype)
                    #expect(kMine == kTheirs, "kdig \(qname) \(qtype): ours \(kMine), NSD \(kTheirs)")
                }
            }
        }
    }
}

/// One query's answer as dig prints it: status and flags, and each section's records as a
/// set of normalised lines (blanks collapsed, owner lowercased).
struct DigAnswer: Equatable {
    var header: String
    var sections: [String: Set<String>]

    init(port: UInt16, _ qname: String, _ qtype: String, extra: [String] = ["+dnssec", "+norec"]) throws {
        let dig = try ExternalTool.require("dig")
        let base = ["@127.0.0.1", "-p", String(port), "+time=5", "+tries=1"] + extra + [qname, qtype]
        let comments = try dig.check(base + ["+noall", "+comments"]).stdoutText
        let status = comments.components(separatedBy: "status: ").dropFirst().first?.components(separatedBy: ",").first ?? "?"
        let flags = comments.components(separatedBy: ";; flags: ").dropFirst().first?.components(separatedBy: ";").first ?? "?"
        header = "\(status) \(flags)"
        sections = [:]
        for section in ["answer", "authority", "additional"] {
            let text = try dig.check(base + ["+noall", "+\(section)"]).stdoutText
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix(";") && !$0.isEmpty }.map { line -> String in
                var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if !fields.isEmpty { fields[0] = fields[0].lowercased() }
                return fields.joined(separator: " ")
            }
            sections[section] = Set(lines)
        }
    }
}

/// One query's answer as Knot's `kdig` prints it (knot-dnsutils): status, flags, and each
/// non-empty section as a set of normalised record lines.
struct KdigAnswer: Equatable, CustomStringConvertible {
    var header: String
    var sections: [String: Set<String>]

    init(port: UInt16, _ qname: String, _ qtype: String) throws {
        let kdig = try ExternalTool.require("kdig")
        let text = try kdig.check(["@127.0.0.1", "-p", String(port), "+time=5", "+retry=0", "+dnssec", "+norec", qname, qtype]).stdoutText
        let status = text.components(separatedBy: "status: ").dropFirst().first?.components(separatedBy: ";").first ?? "?"
        let flags = text.components(separatedBy: ";; Flags: ").dropFirst().first?.components(separatedBy: ";").first ?? "?"
        header = "\(status) \(flags)"
        sections = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            switch line {
            case ";; ANSWER SECTION:": current = "answer"
            case ";; AUTHORITY SECTION:": current = "authority"
            case ";; ADDITIONAL SECTION:": current = "additional"
            default:
                if line.isEmpty || line.hasPrefix(";") { if line.isEmpty { current = nil }; continue }
                guard let section = current else { continue }
                var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if !fields.isEmpty { fields[0] = fields[0].lowercased() }
                sections[section, default: []].insert(fields.joined(separator: " "))
            }
        }
    }

    var description: String { "\(header) \(sections)" }
}
