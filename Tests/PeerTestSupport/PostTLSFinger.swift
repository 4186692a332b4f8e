import Foundation

/// Postfix's `posttls-finger(1)` as a judge: probes a mail domain the way Postfix's SMTP client
/// would at `smtp_tls_security_level = dane`, through a given validating resolver, and reads
/// its output into a `PostTLSFingerReport`.
///
/// Each probe gets a private `MAIL_CONFIG` folder (a main.cf with `compatibility_level = 3.6`,
/// `smtp_dns_support_level = dnssec`, `smtp_tls_security_level = dane`, the insecure-MX
/// policy, and `dnssec_probe`), and runs in a private mount namespace whose /etc/resolv.conf
/// names only the resolver (`PrivateResolverNamespace`), as
/// `posttls-finger -l dane -L summary,certmatch,dane -M POLICY -t S -T S DOMAIN:PORT`.
/// Facts learned (Postfix 3.7): the port applies to the MX hosts (and to the TLSA name,
/// `_PORT._tcp.HOST`); it tries only the first MX that accepts a connection; it exits 0
/// whatever happened; with no TLSA it falls back to the `secure` level, so a self-signed
/// server reads "Untrusted"; `dnssec_probe` (default `ns:.`) warns "DNSSEC validation may be
/// unavailable" when the resolver has no answer for ".", so point it at a signed zone the
/// resolver knows; a main.cf written this second costs 1.8 s (`PostfixMTA.configDate`).
package struct PostTLSFinger: Sendable {
    /// Postfix ≥ 3.6 `smtp_tls_dane_insecure_mx_policy`: TLSA of hosts reached through an
    /// insecure MX RRset is used (`dane`, a match logged "Trusted") or ignored (`may`).
    package enum InsecureMXPolicy: String, Sendable { case dane, may }

    package static let tools = ["posttls-finger"] + PrivateResolverNamespace.tools

    /// Whether posttls-finger (Debian's `postfix` package) and the namespace tools are installed.
    package static var available: Bool { tools.allSatisfy { ExternalTool.find($0) != nil } }

    /// The validating resolver's IPv4 address (it must listen on port 53).
    package var resolver: String
    package var insecureMXPolicy: InsecureMXPolicy
    /// `dnssec_probe`, e.g. "ns:example.test." (empty: no probe).
    package var dnssecProbe: String
    /// TCP connect + banner (`-t`) and command (`-T`) timeouts, seconds.
    package var smtpTimeout: Int
    /// The whole run is killed after this many seconds (never hangs).
    package var timeout: Double
    /// The EHLO name (`myhostname`).
    package var heloName: String

    package init(resolver: String, insecureMXPolicy: InsecureMXPolicy = .dane, dnssecProbe: String = "",
                 smtpTimeout: Int = 5, timeout: Double = 30, heloName: String = "judge.daneprobe.test") {
        self.resolver = resolver
        self.insecureMXPolicy = insecureMXPolicy
        self.dnssecProbe = dnssecProbe
        self.smtpTimeout = smtpTimeout
        self.timeout = timeout
        self.heloName = heloName
    }

    /// The main.cf the probe reads.
    package var mainCF: String {
        """
        compatibility_level = 3.6
        myhostname = \(heloName)
        smtp_dns_support_level = dnssec
        smtp_tls_security_level = dane
        smtp_tls_dane_insecure_mx_policy = \(insecureMXPolicy.rawValue)
        dnssec_probe = \(dnssecProbe)

        """
    }

    /// Probes `domain` (MX lookup; "[host]" skips it), connecting to port `port` of its hosts.
    /// Throws only when posttls-finger could not be run (or outlived `timeout`).
    package func probe(_ domain: String, port: UInt16 = 25) throws -> PostTLSFingerReport {
        let finger = try ExternalTool.require("posttls-finger")
        let folder = try TemporaryDirectory(prefix: "posttls-finger")
        defer { folder.remove() }
        _ = try folder.write(mainCF, to: "main.cf", modified: PostfixMTA.configDate)
        let namespace = try PrivateResolverNamespace(nameserver: resolver, in: folder)
        let arguments = [
            "-l", "dane", "-L", "summary,certmatch,dane", "-M", insecureMXPolicy.rawValue,
            "-t", String(smtpTimeout), "-T", String(smtpTimeout), "\(domain):\(port)",
        ]
        let result = try namespace.run(finger, arguments, environment: ["MAIL_CONFIG": folder.path], timeout: timeout)
        guard result.status == 0 else { throw ToolError.failed(result) }
        // posttls-finger logs to standard output; standard error has only what failed around it.
        return PostTLSFingerReport(output: result.stdoutText + result.stderrText)
    }
}
