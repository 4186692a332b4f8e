/// Redirection of a subtree (RFC 6672 §2.1); its name is never compressed (RFC 6672 §2.5).
public struct DNAME: SingleNameRData {
    public static let primaryType = RRType.dname
    public var target: DomainName
    public init(_ target: DomainName) { self.target = target }
}
