/// An SMTP server of a scenario: the addresses DNS gives for it (which the lab maps to the
/// loopback port it really listens on), and what it offers.
public struct LabMailHost: Sendable, Hashable {
    /// The MX host name, for the server's greeting.
    public var name: String
    /// IPv4 (127.0.1.x) and IPv6 (fd00::/8, served on ::1) addresses as published in DNS.
    public var addresses: [String]
    /// The certificate served after STARTTLS; nil offers no STARTTLS.
    public var certificate: String?
    /// Whether the chain sent includes the issuing lab CA (RFC 7672 §3.1.2 requires it for DANE-TA).
    public var sendsCA: Bool

    public init(_ name: String, addresses: [String], certificate: String?, sendsCA: Bool = true) {
        self.name = name
        self.addresses = addresses
        self.certificate = certificate
        self.sendsCA = sendsCA
    }
}
