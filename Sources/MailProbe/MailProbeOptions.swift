import DANE
import DNSTransport
import Foundation

/// How `MailProbe` checks a domain: the sender policy it imitates and the connection limits.
public struct MailProbeOptions: Sendable {
    /// What to do with secure TLSA under an insecure MX RRset (RFC 7672 §2.2.1; Postfix's
    /// `smtp_tls_dane_insecure_mx_policy`).
    public var insecureMXPolicy: InsecureMXPolicy = .dane
    /// The SMTP port connected to and named in the TLSA owner `_PORT._tcp.HOST` (RFC 7672 §2.2.3).
    public var port: Int = 25
    /// The name sent in EHLO/HELO.
    public var ehloName: String = "daneprobe.invalid"
    /// The connect timeout and each SMTP stage's timeout.
    public var timeout: Duration = .seconds(10)
    /// Stop at the first host that would take the mail, as a sender does; otherwise every
    /// address of every host is probed and reported.
    public var firstOnly: Bool = false
    /// The lab seam: a published MX host address and port → where to really connect.
    public var addressMap: DNSAddressMap = .identity
    /// The time certificates are judged at (DANE-TA chain validity); nil is the system clock.
    public var now: Date? = nil

    public init() {}
}
