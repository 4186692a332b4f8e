/// What Postfix (`posttls-finger` or a real `smtp` delivery agent) concluded about a mail
/// domain, in DESIGN.md's verdict words (the raw values), so a test can compare Postfix's
/// outcome with ours word for word.
package enum PostfixVerdict: String, Sendable, CaseIterable, CustomStringConvertible {
    /// "Verified TLS connection established": DANE matched and the MX RRset was secure.
    case verified
    /// "Trusted TLS connection established": DANE matched under an insecure MX RRset (Postfix
    /// ≥ 3.6 with `smtp_tls_dane_insecure_mx_policy = dane`), or PKIX trust.
    case trusted
    /// "Untrusted TLS connection established", with no DANE failure logged.
    case untrusted
    /// "Anonymous TLS connection established": TLS without a server certificate.
    case anonymous
    /// Connected and talked SMTP with no TLS, and no TLS was required.
    case plaintext
    /// Usable secure TLSA and nothing matched ("no matching DANE TLSA records"; the MTA logs
    /// "Server certificate not verified" and defers).
    case daneFailed = "dane-failed"
    /// Secure TLSA required TLS and the server offered no STARTTLS ("TLS is required, but was
    /// not offered by host …").
    case tlsRequiredFailed = "tls-required-failed"
    /// A lookup that decides the outcome failed temporarily ("Host not found, try again",
    /// "TLSA lookup error", SERVFAIL from the validating resolver on bogus data).
    case dnsFailed = "dns-failed"
    /// No connection ("Connection refused", "Connection timed out", "No route to host").
    case unreachable
    /// The domain does not exist or takes no mail (NXDOMAIN: "Host not found" with no "try
    /// again"; null MX: "nullMX").
    case noMail = "no-mail"
    /// Postfix printed nothing this table recognises; the raw lines say what happened.
    case unknown

    package var description: String { rawValue }
}
