/// The canonical name of an alias (RFC 1035 §3.3.1).
public struct CNAME: SingleNameRData {
    public static let primaryType = RRType.cname
    public var target: DomainName
    public init(_ target: DomainName) { self.target = target }
}
