import DNSCore

/// A TLSA record of a scenario zone, as what it is made from: the lab computes the
/// association data from the minted certificates (RFC 6698 §2.1).
public struct LabTLSASpec: Sendable, Hashable {
    /// Which certificate (or which bytes) the record describes.
    public enum Subject: Sendable, Hashable {
        /// The leaf certificate named so in the scenario's certificates.
        case leaf(String)
        /// The lab CA that issues the scenario's CA-issued leaves.
        case labCA
        /// The data for the subject, with its last octet flipped: a record that matches nothing.
        indirect case corrupted(Subject)
    }

    /// Owner, relative to the zone's origin (`_25._tcp.mx`).
    public var owner: String
    public var usage: UInt8
    public var selector: UInt8
    public var matchingType: UInt8
    public var subject: Subject

    public init(_ owner: String, _ usage: UInt8, _ selector: UInt8, _ matchingType: UInt8, of subject: Subject) {
        self.owner = owner
        self.usage = usage
        self.selector = selector
        self.matchingType = matchingType
        self.subject = subject
    }
}
