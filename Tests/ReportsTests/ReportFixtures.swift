import DANE
import Foundation
import MailProbe

/// DomainReports written as `check --json` writes them (the input `report` reads), built from
/// a few facts so each test says only what it is about.
enum ReportFixtures {
    struct Host {
        var name = "mx.example."
        var addressStatus = "secure"
        var tlsaStatus = "secure"
        var records: [String] = []
        var usable: [String] = []
        var starttls = "established"
        var matched = false
        var verdict: DANEVerdict = .untrusted
        var skipped = false
        var reason = ReasonReport(step: "tls", status: "untrusted", rule: "RFC 7672 §2.2", detail: "no TLSA")
    }

    static func json(domain: String = "example.", verdict: DANEVerdict, mxStatus: String = "secure", nullMX: Bool = false,
                     implicit: Bool = false, broken: Bool = false, hosts: [Host],
                     reasons: [ReasonReport] = []) -> String {
        func reasonJSON(_ r: ReasonReport) -> String {
            "{\"step\":\(quote(r.step)),\"status\":\(quote(r.status)),\"rule\":\(quote(r.rule)),\"detail\":\(quote(r.detail))}"
        }
        let hostJSON = hosts.map { h in
            let connection = """
            {"address":"192.0.2.1:25","starttls":\(quote(h.starttls)),"chain":[],\
            \(h.matched ? "\"match\":{\"record\":\(quote(h.usable.first ?? "")),\"depth\":0}," : "")\
            "verdict":\(quote(h.verdict.rawValue)),"summary":"","reasons":[\(reasonJSON(h.reason))]}
            """
            return """
            {"name":\(quote(h.name)),"preference":10,\
            "addresses":[{"family":"ipv4","status":\(quote(h.addressStatus)),"rcode":"NOERROR","addresses":["192.0.2.1"],"reasons":[]}],\
            "aliases":[],"tlsa":{"status":\(quote(h.tlsaStatus)),"queried":[],"records":\(list(h.records)),"usable":\(list(h.usable)),"reasons":[]},\
            "requirement":"dane","connections":[\(h.skipped ? "" : connection)],"verdict":\(quote(h.verdict.rawValue)),\
            "reasons":[\(reasonJSON(h.reason))],"skipped":\(h.skipped)}
            """
        }
        let mxHosts = nullMX ? [] : hosts.map { "{\"name\":\(quote($0.name)),\"preference\":10}" }
        return """
        {"domain":\(quote(domain)),"verdict":\(quote(verdict.rawValue)),"insecureMXPolicy":"dane",\
        "mx":{"status":\(quote(mxStatus)),"rcode":"NOERROR","implicit":\(implicit),"nullMX":\(nullMX),"hosts":[\(mxHosts.joined(separator: ","))],"reasons":[]},\
        "hosts":[\(hostJSON.joined(separator: ","))],"broken":\(broken),"reasons":[\(reasons.map(reasonJSON).joined(separator: ","))],"advice":[]}
        """
    }

    static func report(domain: String = "example.", verdict: DANEVerdict, mxStatus: String = "secure", nullMX: Bool = false,
                       implicit: Bool = false, broken: Bool = false, hosts: [Host], reasons: [ReasonReport] = []) throws -> DomainReport {
        let text = json(domain: domain, verdict: verdict, mxStatus: mxStatus, nullMX: nullMX, implicit: implicit, broken: broken,
                        hosts: hosts, reasons: reasons)
        return try JSONDecoder().decode(DomainReport.self, from: Data(text.utf8))
    }

    static func quote(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func list(_ items: [String]) -> String { "[" + items.map(quote).joined(separator: ",") + "]" }

    static let ee311 = "3 1 1 " + String(repeating: "AB", count: 32)
    static let ta211 = "2 1 1 " + String(repeating: "CD", count: 32)
    static let pkix011 = "0 1 1 " + String(repeating: "EF", count: 32)

    /// A verified host with `records` (all usable unless PKIX).
    static func verifiedHost(_ name: String = "mx.example.", records: [String] = [ee311]) -> Host {
        Host(name: name, records: records, usable: records.filter { !$0.hasPrefix("0 ") && !$0.hasPrefix("1 ") }, matched: true,
             verdict: .verified, reason: ReasonReport(step: "match", status: "verified", rule: "RFC 7672 §3.1.1", detail: "matched"))
    }
}
