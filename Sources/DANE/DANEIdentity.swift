import DNSCore
import X509

/// Name checks for DANE-TA(2) (RFC 7672 §3.2): the server certificate must carry one of the
/// reference identifiers — the TLSA base domain, and the next-hop (MX-query) domain when
/// the MX RRset is secure (§3.2.2). Names come from the subjectAltName dNSName entries or,
/// only when there are none, the subject's last CommonName (§3.2.3, as RFC 6125 §6.4.4). A
/// wildcard matches only as the whole leftmost label and stands for exactly one label
/// (§3.2.3): `*.example.com` matches `mx.example.com`, not `example.com` nor `a.b.example.com`.
/// DANE-EE(3) has no name checks (§3.1.1).
public enum DANEIdentity {
    /// The DNS names the certificate presents, as lowercase text without a trailing dot.
    public static func presentedNames(_ certificate: Certificate) -> [String] {
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                if case .dnsName(let dns) = name { names.append(dns.lowercased()) }
            }
        }
        if !names.isEmpty { return names }
        var commonName: String?
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                commonName = String(describing: attribute.value)
            }
        }
        return commonName.map { [$0.lowercased()] } ?? []
    }

    /// The first presented name that matches one of `references`, with the reference.
    public static func match(_ certificate: Certificate, references: [DomainName]) -> (presented: String, reference: DomainName)? {
        let presented = presentedNames(certificate)
        for reference in references {
            let wanted = reference.lowercased.labels.map { String(decoding: $0, as: UTF8.self) }
            for name in presented where matches(presented: name, reference: wanted) {
                return (name, reference)
            }
        }
        return nil
    }

    static func matches(presented: String, reference: [String]) -> Bool {
        var labels = presented.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.last == "" { labels.removeLast() }
        guard labels.count == reference.count, !labels.isEmpty else { return false }
        for (index, label) in labels.enumerated() {
            if index == 0, label == "*" { continue }
            if label.contains("*") || label != reference[index] { return false }
        }
        return true
    }
}
