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

    /// Parses `FROM=TO[,FROM=TO...]`, each side `ADDR[:PORT]` or `[V6]:PORT` (port 53 when
    /// left out), FROM `*` for every address not listed: e.g. `127.0.0.10:53=127.0.0.1:40053`.
    public init(parsing text: String) throws(DNSExchangeError) {
        var entries: [DNSServerAddress: DNSServerAddress] = [:]
        var fallback: DNSServerAddress?
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let sides = item.split(separator: "=", omittingEmptySubsequences: false)
            guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else {
                throw DNSExchangeError(.badAddress, "\"\(item)\": expected FROM=TO")
            }
            let to = try DNSServerAddress(parsing: String(sides[1]))
            if sides[0] == "*" {
                fallback = to
            } else {
                entries[try DNSServerAddress(parsing: String(sides[0]))] = to
            }
        }
        guard !entries.isEmpty || fallback != nil else { throw DNSExchangeError(.badAddress, "\"\(text)\": no FROM=TO pairs") }
        self.init(entries, fallback: fallback)
    }

    /// Both maps at once; `other`'s entries and fallback win where both have one.
    public func merging(_ other: DNSAddressMap) -> DNSAddressMap {
        DNSAddressMap(entries.merging(other.entries) { $1 }, fallback: other.fallback ?? fallback)
    }
}

