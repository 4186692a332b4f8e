import DANE
/// What one `posttls-finger` run printed, read into a verdict (pure: tested on captured output).
///
/// posttls-finger exits 0 whatever happened, so the verdict comes from its lines (each
/// "posttls-finger: …", on standard output), run with `-l dane -L summary,certmatch,dane` and SMTP
/// chat logging on (no `-c`: a server without STARTTLS makes no TLS line at all, and only the
/// chat's "Connected to HOST[IP]:PORT" and the missing "> STARTTLS" show it). It tries only
/// the first MX host that accepts a connection.
package struct PostTLSFingerReport: Sendable, CustomStringConvertible {
    /// Every line printed, without the "posttls-finger: " prefix.
    package var lines: [String]
    package var verdict: DANEVerdict?
    /// The host it talked to, as Postfix writes it: "mx.example.test[127.0.3.11]:25".
    package var host: String?
    /// The one-line TLS summary ("Verified TLS connection established to …"), if TLS was made.
    package var summary: String?
    /// The DANE failure ("server certificate verification failed for …: num=65:no matching
    /// DANE TLSA records"), if any.
    package var daneFailure: String?
    /// The DNSSEC-signed TLSA records it found, as "_25._tcp.mx.example.test: 3 1 1 ABCD…".
    package var tlsaRecords: [String]
    /// "Matched DANE EE certificate at depth 0: 3 1 1 …" and the like.
    package var matches: [String]

    package init(output: String) {
        let prefix = "posttls-finger: "
        lines = output.split(whereSeparator: \.isNewline).map { line in
            line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : String(line)
        }
        summary = lines.first { $0.contains(" TLS connection established to ") }
        tlsaRecords = lines.compactMap { line in
            let marker = "DNSSEC-signed TLSA record: "
            return line.hasPrefix(marker) ? String(line.dropFirst(marker.count)) : nil
        }
        matches = lines.filter { $0.contains("Matched DANE") }
        let tlsaFound = !tlsaRecords.isEmpty
        daneFailure = lines.first { line in
            line.contains("no matching DANE TLSA records") || (tlsaFound && line.contains("certificate verification failed for"))
        }
        host = Self.host(in: lines)
        verdict = Self.verdict(lines: lines, summary: summary, daneFailure: daneFailure, tlsaFound: tlsaFound)
    }

    package var description: String {
        "posttls-finger: \(verdict) via \(host ?? "no host")\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }

    /// "HOST[IP]:PORT" from the first line that names the connection.
    private static func host(in lines: [String]) -> String? {
        for line in lines {
            for marker in ["Connected to ", "TLS connection established to ", "connect to "] {
                guard let range = line.range(of: marker) else { continue }
                let rest = line[range.upperBound...]
                // HOST[IP]:PORT, then ":" and the message, or the end of the line.
                guard let close = rest.firstIndex(of: "]") else { continue }
                let afterBracket = rest[rest.index(after: close)...]
                guard afterBracket.hasPrefix(":") else { return String(rest[...close]) }
                let port = afterBracket.dropFirst().prefix { $0.isNumber }
                return String(rest[...close]) + ":" + port
            }
        }
        return nil
    }

    private static func verdict(lines: [String], summary: String?, daneFailure: String?, tlsaFound: Bool) -> DANEVerdict? {
        let text = lines.joined(separator: "\n")
        if text.contains("nullMX") || text.contains("null MX") { return .noMail }
        if text.contains("lookup failed") || text.contains("lookup error") || text.contains("Name service error") {
            if text.contains("try again") || text.contains("lookup error") { return .dnsFailed }
            if text.contains("Host not found") || text.contains("Host or domain name not found") { return .noMail }
            return .dnsFailed
        }
        if let summary {
            if daneFailure != nil { return .daneFailed }
            switch summary.prefix { $0 != " " } {
            case "Verified": return .verified
            case "Trusted": return .trusted
            case "Untrusted": return .untrusted
            case "Anonymous": return .anonymous
            default: return nil
            }
        }
        if daneFailure != nil { return .daneFailed }
        let connected = lines.contains { $0.hasPrefix("Connected to ") }
        if !connected {
            let refusals = ["Connection refused", "Connection timed out", "No route to host", "Failed to establish session", "Network is unreachable"]
            return refusals.contains { text.contains($0) } ? .unreachable : nil
        }
        let askedForTLS = lines.contains { $0.hasPrefix("> STARTTLS") }
        if !askedForTLS { return tlsaFound ? .tlsRequiredFailed : .plaintext }
        return nil
    }
}
