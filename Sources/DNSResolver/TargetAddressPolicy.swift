import DNSCore

/// Which server addresses an iterative resolver may send queries to. Loopback, private
/// (RFC 1918, RFC 4193), link-local, shared (RFC 6598), multicast and reserved addresses
/// (RFC 6890) are refused, so a delegation cannot point the resolver at the local network,
/// unless the root hints are themselves on loopback (a lab) or the caller allows it.
public struct TargetAddressPolicy: Hashable, Sendable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    public func permits(_ host: String) -> Bool { allowPrivate || !Self.isPrivateOrReserved(host) }

    static func isLoopback(_ host: String) -> Bool {
        if let v4 = IPv4Address(host) { return v4.octets[0] == 127 }
        return host == "::1"
    }

    static func isPrivateOrReserved(_ host: String) -> Bool {
        if let v4 = IPv4Address(host) {
            let o = v4.octets
            switch (o[0], o[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, 16...31), (100, 64...127), (198, 18...19): return true
            case (192, 0) where o[2] == 0 || o[2] == 2: return true
            case (198, 51) where o[2] == 100, (203, 0) where o[2] == 113: return true
            default: return o[0] >= 224
            }
        }
        let lower = host.lowercased()
        if lower == "::1" || lower == "::" { return true }
        return lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower.hasPrefix("fe8") || lower.hasPrefix("fe9")
            || lower.hasPrefix("fea") || lower.hasPrefix("feb") || lower.hasPrefix("ff") || lower.hasPrefix("2001:db8:")
            || lower.hasPrefix("::ffff:")
    }
}
