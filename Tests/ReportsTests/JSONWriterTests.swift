import DANE
import DNSCore
import Foundation
import MailProbe
import Testing

/// `DomainReport.jsonLine()` (`JSONWriter`, DomainReport+JSON.swift) writes what Foundation's
/// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes of the `Codable`
/// conformance, byte for byte, every property of every report type included, and it reads
/// back as the same value.
@Suite struct JSONWriterTests {
    static func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Every control character, quote, reverse solidus, solidus, DEL, U+2028, an RTL mark,
    /// an emoji, a combining accent.
    static let hostile = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        + "\"\\/\u{7F}\u{2028}\u{200F}😀e\u{301}"

    /// A report with every optional field present somewhere and absent elsewhere, hostile
    /// text in the strings.
    static func fullReport() throws -> DomainReport {
        let reason: [String: Any] = ["step": "mx", "status": "secure", "rule": "RFC 7672 §2.2.1", "detail": hostile, "algorithm": 13]
        let plainReason: [String: Any] = ["step": "tls", "status": "verified", "rule": "RFC 7672 §3.1.1", "detail": "matched"]
        let certificate: [String: Any] = ["subject": "CN=mx.example", "issuer": "CN=CA \(hostile)", "notBefore": "2026-01-01T00:00:00Z",
                                          "notAfter": "2027-01-01T00:00:00Z", "dnsNames": ["mx.example", "*.example"],
                                          "dnsNamesOmitted": 4_900, "spkiSHA256": String(repeating: "ab", count: 32)]
        let broken: [String: Any] = ["subject": "", "issuer": "", "notBefore": "", "notAfter": "", "dnsNames": [String](),
                                     "spkiSHA256": "", "error": "certificate not parsed: \(hostile)"]
        let connection: [String: Any] = [
            "address": "[2001:db8::1]:25", "connectedTo": "127.2.0.1:25", "starttls": "established",
            "tls": ["version": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384", "sni": "mx.example"],
            "chain": [certificate, broken], "match": ["record": "3 1 1 AB", "depth": 0], "verdict": "verified",
            "summary": "Verified TLS connection established to mx.example[2001:db8::1]:25", "reasons": [plainReason],
        ]
        let bare: [String: Any] = ["address": "192.0.2.1:25", "starttls": "not-offered", "tls": ["version": "TLSv1.2", "cipher": "X"],
                                   "chain": [[String: Any]](), "match": ["record": "2 0 0 30"], "verdict": "tls-required-failed",
                                   "summary": "", "reasons": [[String: Any]]()]
        let host: [String: Any] = [
            "name": "mx.example.", "preference": 65_535,
            "addresses": [["family": "ipv6", "status": "secure", "rcode": "NOERROR", "addresses": ["2001:db8::1"], "reasons": [reason]]],
            "aliases": [["alias": "mx.example.", "target": "real.example.", "status": "secure"]], "tlsaBase": "real.example.",
            "tlsa": ["status": "secure", "queried": ["_25._tcp.real.example."], "records": ["3 1 1 AB"], "usable": ["3 1 1 AB"], "reasons": [reason]],
            "requirement": "dane", "connections": [connection, bare], "verdict": "verified", "reasons": [reason], "skipped": false,
        ]
        let skipped: [String: Any] = [
            "name": "backup.example.", "preference": 0, "addresses": [[String: Any]](), "aliases": [[String: Any]](),
            "tlsa": ["status": "not-looked-up", "queried": [String](), "records": [String](), "usable": [String](), "reasons": [[String: Any]]()],
            "requirement": "skip", "connections": [[String: Any]](), "verdict": "unreachable", "reasons": [[String: Any]](), "skipped": true,
        ]
        let report: [String: Any] = [
            "domain": "example.", "verdict": "verified", "deliveringHost": "mx.example.", "insecureMXPolicy": "dane",
            "mx": ["status": "secure", "rcode": "NOERROR", "implicit": false, "nullMX": false,
                   "hosts": [["name": "mx.example.", "preference": 10]], "reasons": [reason]],
            "hosts": [host, skipped], "broken": true, "reasons": [reason, plainReason], "advice": [hostile, "publish a next key"],
        ]
        return try JSONDecoder().decode(DomainReport.self, from: JSONSerialization.data(withJSONObject: report))
    }

    @Test func aFullReportIsWhatJSONEncoderWrites() throws {
        let report = try Self.fullReport()
        let ours = report.jsonLine()
        #expect(ours == (try Self.foundation(report)))
        #expect(try JSONDecoder().decode(DomainReport.self, from: Data(ours.utf8)) == report)
        #expect(ours.contains("\"dnsNamesOmitted\":4900"))
    }

    /// Every stored property of every type in the report (by reflection, so one added later
    /// is caught) is a key of the full report's JSON: the full fixture sets every optional
    /// somewhere, and DomainReport+JSON.swift must write each.
    @Test func everyPropertyIsWritten() throws {
        let report = try Self.fullReport()
        let text = report.jsonLine()
        var labels = Set<String>()
        func collect(_ value: Any) {
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                for child in mirror.children { collect(child.value) }
                return
            }
            for child in mirror.children {
                if let label = child.label, mirror.displayStyle == .struct { labels.insert(label) }
                collect(child.value)
            }
        }
        collect(report)
        #expect(labels.count > 50)
        for label in labels.sorted() {
            #expect(text.contains("\"\(label)\":"), "\(label) is not written (DomainReport+JSON.swift), or the full fixture leaves it out")
        }
    }

    @Test func theFixtureReportsAreWhatJSONEncoderWrites() throws {
        for report in [try ReportFixtures.report(verdict: .verified, hosts: [ReportFixtures.verifiedHost()]),
                       try ReportFixtures.report(domain: Self.hostile, verdict: .noMail, nullMX: true, hosts: []),
                       try ReportFixtures.report(verdict: .daneFailed, broken: true, hosts: [ReportFixtures.Host(skipped: true)])] {
            #expect(report.jsonLine() == (try Self.foundation(report)))
        }
    }

    @Test func theWriterSeparatesNestsAndEscapes() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.beginObject()
        writer.member("a", "x/y")
        writer.member("b", [String]())
        writer.member("c", Int?.none)
        writer.member("d", UInt16.max)
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.string("\u{0}\"")
        writer.bool(false)
        writer.endArray()
        #expect(writer.text == #"[{"a":"x/y","b":[],"d":65535},[],"\u0000\"",false]"#)
    }
}
