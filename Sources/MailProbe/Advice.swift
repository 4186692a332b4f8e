import DANE
import DNSSEC

/// What to change, in words an operator acts on, for each problem a report shows.
enum Advice {
    static func forDomain(verdict: DANEVerdict, mx: MXReport) -> [String] {
        var advice: [String] = []
        if verdict == .dnsFailed, mx.hosts.isEmpty {
            if mx.status == .bogus {
                advice.append("The MX lookup is bogus (rcode \(mx.rcode)): senders defer all mail. Fix the DNSSEC chain of the domain's zone (DS at the parent matching a DNSKEY, unexpired RRSIGs), then check again.")
            } else {
                // Indeterminate: no usable answer at all (timeouts, refusals, malformed or
                // looping answers, a work budget spent) — not a signature problem.
                advice.append("The MX lookup is \(mx.status) (rcode \(mx.rcode)): no name server gave a usable answer, and senders defer all mail. Make the domain's name servers (and the resolver) reachable and answering well-formed replies, then check again.")
            }
        }
        if mx.status == .insecure, !mx.hosts.isEmpty, !mx.implicit {
            advice.append("The MX RRset is not DNSSEC-signed: at best a connection is Trusted, not Verified, and senders before Postfix 3.6 ignore the hosts' TLSA. Sign the domain's zone and publish its DS.")
        }
        return advice
    }

    static func forHost(_ host: HostReport, mx: MXReport, policy: InsecureMXPolicy) -> [String] {
        var advice: [String] = []
        let name = host.name
        for family in host.addresses where family.status == .bogus || family.status == .indeterminate {
            advice.append("\(name): the \(family.family == "ipv4" ? "A" : "AAAA") lookup is \(family.status): senders skip these addresses. Fix the signatures of the zone holding \(name).")
        }
        if host.tlsa.status == "bogus" || host.tlsa.status == "indeterminate" || host.tlsa.status == "failed" {
            advice.append("\(name): the TLSA lookup (\(host.tlsa.queried.last ?? "?")) \(host.tlsa.status == "failed" ? "failed" : "is \(host.tlsa.status)"): DANE senders skip this host. Make the zone answer TLSA queries (NOERROR/NODATA, never SERVFAIL or NOTIMP) with valid signatures.")
        }
        if host.tlsa.status == "secure", !host.tlsa.records.isEmpty, host.tlsa.usable.isEmpty {
            advice.append("\(name): no TLSA record is usable for SMTP (usages 0 and 1, unknown selectors or matching types, wrong digest lengths; RFC 7672 §3.1.3): senders require TLS but cannot authenticate. Publish `3 1 1` for the server's key.")
        }
        for connection in host.connections {
            switch connection.verdict {
            case .daneFailed:
                if let leaf = connection.chain.first, !leaf.spkiSHA256.isEmpty {
                    advice.append("\(name) \(connection.address): no TLSA record matches what the server presents; to match its current key publish `3 1 1 \(leaf.spkiSHA256.uppercased())` (or install the certificate the records name).")
                } else {
                    advice.append("\(name) \(connection.address): no TLSA record matches; the server presented no certificate chain.")
                }
            case .tlsRequiredFailed:
                advice.append("\(name) \(connection.address): secure TLSA records make TLS mandatory, but \(connection.starttls == "established" ? "the handshake failed" : "STARTTLS is \(connection.starttls)"): enable STARTTLS with the published certificate, or withdraw the TLSA records first.")
            default:
                break
            }
        }
        return advice
    }
}
