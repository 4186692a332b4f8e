/// A pointer to another name (RFC 1035 §3.3.12).
public struct PTR: SingleNameRData {
    public static let primaryType = RRType.ptr
    public var target: DomainName
    public init(_ target: DomainName) { self.target = target }
}
