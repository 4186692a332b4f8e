/// A server certificate the lab mints at its reference time.
public struct LabCertificateSpec: Sendable, Hashable {
    public enum Issuer: Sendable, Hashable {
        /// Signed by its own key.
        case selfSigned
        /// Issued by the lab CA (the DANE-TA scenarios' trust anchor).
        case labCA
    }

    /// The name TLSA subjects and mail hosts refer to it by, unique in its scenario.
    public var name: String
    /// subjectAltName dNSNames (empty: only a CommonName that is no host name).
    public var dnsNames: [String]
    public var issuer: Issuer
    /// Expired a year before the lab's reference time.
    public var expired: Bool

    public init(_ name: String, dnsNames: [String], issuer: Issuer = .selfSigned, expired: Bool = false) {
        self.name = name
        self.dnsNames = dnsNames
        self.issuer = issuer
        self.expired = expired
    }
}
