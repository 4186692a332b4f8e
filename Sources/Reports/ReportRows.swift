/// The rows every rendering shows, in one order, with what each share is of.
struct ReportRows {
    var label: String
    var count: Int
    var total: Int
    var totalLabel: String

    static func counts(_ s: ReportSummary) -> [ReportRows] {
        let domains = s.domains
        // NXDOMAIN and null MX: the domains that take no mail are left out of the DANE shares.
        let withMail = max(0, s.domains - s.count(.noMail))
        return [
            .init(label: "with MX", count: s.withMX, total: domains, totalLabel: "domains"),
            .init(label: "implicit MX (no MX, the domain itself)", count: s.implicitMX, total: domains, totalLabel: "domains"),
            .init(label: "null MX", count: s.nullMX, total: domains, totalLabel: "domains"),
            .init(label: "signed MX RRset", count: s.signedMX, total: withMail, totalLabel: "domains taking mail"),
            .init(label: "an MX host in a signed zone", count: s.withSignedMXHost, total: withMail, totalLabel: "domains taking mail"),
            .init(label: "with TLSA", count: s.withTLSA, total: withMail, totalLabel: "domains taking mail"),
            .init(label: "usable TLSA", count: s.withUsableTLSA, total: withMail, totalLabel: "domains taking mail"),
            .init(label: "matching TLSA", count: s.matching, total: withMail, totalLabel: "domains taking mail"),
            .init(label: "STARTTLS offered", count: s.startTLSOffered, total: withMail, totalLabel: "domains taking mail"),
            .init(label: "partial DANE (some MX hosts without TLSA)", count: s.partialDANE, total: s.withTLSA, totalLabel: "with TLSA"),
            .init(label: "rollover-ready", count: s.rolloverReady, total: s.withUsableTLSA, totalLabel: "with usable TLSA"),
            .init(label: "delivered to", count: s.delivering, total: domains, totalLabel: "domains"),
            .init(label: "broken", count: s.broken, total: domains, totalLabel: "domains"),
            .init(label: "MX hosts probed", count: s.hosts, total: s.hosts, totalLabel: "hosts"),
            .init(label: "hosts in signed zones", count: s.hostsInSignedZones, total: s.hosts, totalLabel: "hosts"),
            .init(label: "hosts with TLSA", count: s.hostsWithTLSA, total: s.hosts, totalLabel: "hosts"),
            .init(label: "hosts with usable TLSA", count: s.hostsWithUsableTLSA, total: s.hosts, totalLabel: "hosts"),
            .init(label: "hosts matching", count: s.hostsMatching, total: s.hosts, totalLabel: "hosts"),
            .init(label: "hosts offering STARTTLS", count: s.hostsStartTLSOffered, total: s.hosts, totalLabel: "hosts"),
            .init(label: "hosts rollover-ready", count: s.hostsRolloverReady, total: s.hostsWithUsableTLSA, totalLabel: "hosts with usable TLSA"),
        ]
    }

    static func percent(_ count: Int, of total: Int) -> String {
        guard total > 0 else { return "–" }
        let tenths = (count * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `3 1 1` → `3 1 1 DANE-EE SPKI SHA2-256` (RFC 7218 mnemonics).
    static func describe(parameters key: String) -> String {
        let fields = key.split(separator: " ").map { Int($0) }
        guard fields.count == 3, let usage = fields[0], let selector = fields[1], let matching = fields[2] else { return key }
        let usages = ["PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"]
        let selectors = ["Cert", "SPKI"]
        let matchings = ["Full", "SHA2-256", "SHA2-512"]
        func name(_ list: [String], _ value: Int) -> String { value < list.count ? list[value] : "\(value)" }
        return "\(key) \(name(usages, usage)) \(name(selectors, selector)) \(name(matchings, matching))"
    }
}
