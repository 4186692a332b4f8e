import DNSCore

/// Certificates from PEM text (RFC 7468 §5: `-----BEGIN CERTIFICATE-----`, base64, `-----END
/// CERTIFICATE-----`), in file order; other blocks (keys) are skipped.
public enum PEMCertificates {
    public struct Malformed: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public static func parse(_ text: String) throws(Malformed) -> [[UInt8]] {
        var certificates: [[UInt8]] = []
        var body: String?
        var startLine = 0
        // "\r\n" is one Character in Swift, so split on both forms of line end.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line == "-----BEGIN CERTIFICATE-----" {
                guard body == nil else { throw Malformed(line: index + 1, reason: "BEGIN inside a certificate") }
                body = ""
                startLine = index + 1
            } else if line == "-----END CERTIFICATE-----" {
                guard let text = body else { throw Malformed(line: index + 1, reason: "END without BEGIN") }
                guard let der = Base64.decode(Array(text.utf8)), !der.isEmpty else {
                    throw Malformed(line: startLine, reason: "the certificate's base64 is invalid")
                }
                certificates.append(der)
                body = nil
            } else if body != nil {
                body! += line
            }
        }
        if body != nil { throw Malformed(line: startLine, reason: "certificate not closed by END CERTIFICATE") }
        return certificates
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
