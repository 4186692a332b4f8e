/// The lab's address seam (DESIGN.md, "The lab"): glue and hint addresses such as
/// `127.0.0.53:53` are sent where a test server really listens (`127.0.0.1:PORT`), so a lab
/// whose servers bind port 0 needs no change to its zones. Addresses not in the map are used
/// as they are, unless `fallback` is set.
public struct DNSAddressMap: Hashable, Sendable {
    public var entries: [DNSServerAddress: DNSServerAddress]
    /// Where any address not in `entries` goes (e.g. "every lab address → the one service").
    public var fallback: DNSServerAddress?

    public init(_ entries: [DNSServerAddress: DNSServerAddress] = [:], fallback: DNSServerAddress? = nil) {
        self.entries = entries
        self.fallback = fallback
    }

    public static let identity = DNSAddressMap()

    public func map(_ address: DNSServerAddress) -> DNSServerAddress {
        entries[address] ?? fallback ?? address
    }
}
