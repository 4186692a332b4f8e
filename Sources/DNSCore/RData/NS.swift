/// An authoritative name server (RFC 1035 §3.3.11).
public struct NS: SingleNameRData {
    public static let primaryType = RRType.ns
    public var target: DomainName
    public init(_ target: DomainName) { self.target = target }
}
