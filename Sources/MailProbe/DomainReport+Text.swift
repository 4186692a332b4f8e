import DANE

extension DomainReport {
    /// The report for a person: the MX story, each host's addresses, TLSA and connections
    /// with the Postfix-style summary line, the verdict, and what to fix.
    public func text() -> String {
        var lines: [String] = []
        lines.append("\(domain): \(verdict.rawValue)" + (deliveringHost.map { " via \($0)" } ?? "") + (broken ? " (something published is broken)" : ""))
        if mx.nullMX {
            lines.append("  MX: null MX (RFC 7505) [\(mx.status)]")
        } else if mx.implicit {
            lines.append("  MX: none, the domain is its own mail host [\(mx.status)]")
        } else if mx.hosts.isEmpty {
            lines.append("  MX: \(mx.status), rcode \(mx.rcode)")
        } else {
            lines.append("  MX [\(mx.status)]: " + mx.hosts.map { "\($0.preference) \($0.name)" }.joined(separator: ", "))
        }
        for host in hosts {
            lines.append("  host \(host.name) (preference \(host.preference)): \(host.skipped ? "not probed" : host.verdict.rawValue)")
            if host.skipped { continue }
            for alias in host.aliases { lines.append("    alias \(alias.alias) -> \(alias.target) [\(alias.status)]") }
            for family in host.addresses {
                let values = family.addresses.isEmpty ? "none (\(family.rcode))" : family.addresses.joined(separator: ", ")
                lines.append("    \(family.family == "ipv4" ? "A" : "AAAA") [\(family.status)]: \(values)")
            }
            if host.tlsa.status == "not-looked-up" {
                lines.append("    TLSA: not looked up (the addresses are not secure)")
            } else {
                lines.append("    TLSA \(host.tlsa.queried.joined(separator: ", then ")) [\(host.tlsa.status)]: "
                             + (host.tlsa.records.isEmpty ? "no records" : "\(host.tlsa.records.count) record(s), \(host.tlsa.usable.count) usable"))
                for record in host.tlsa.records {
                    lines.append("      \(record)" + (host.tlsa.usable.contains(record) ? "" : "  (unusable)"))
                }
            }
            lines.append("    requirement: \(host.requirement)")
            for connection in host.connections {
                lines.append("    \(connection.summary)")
                if let tls = connection.tls, let sni = tls.sni { lines.append("      SNI \(sni)") }
                for (depth, certificate) in connection.chain.enumerated() {
                    if let error = certificate.error {
                        lines.append("      depth \(depth): \(error)")
                    } else {
                        lines.append("      depth \(depth): \(certificate.subject), issuer \(certificate.issuer), \(certificate.notBefore) to \(certificate.notAfter), SPKI SHA-256 \(certificate.spkiSHA256)")
                    }
                }
                if let match = connection.match {
                    lines.append("      matched \(match.record)" + (match.depth.map { " at depth \($0)" } ?? " (full certificate in DNS)"))
                }
                for reason in connection.reasons { lines.append("      \(reason.step): \(reason.detail) (\(reason.rule))") }
            }
            for reason in host.reasons { lines.append("    \(reason.detail)") }
        }
        for reason in reasons where reason.step != "mx" || hosts.isEmpty {
            lines.append("  \(reason.detail) (\(reason.rule))")
        }
        if !advice.isEmpty {
            lines.append("  to fix:")
            for item in advice { lines.append("    - \(item)") }
        }
        return lines.joined(separator: "\n")
    }
}
