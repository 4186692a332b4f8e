import NIOCore

/// The address of a DNS server to query: an IP literal and a port (53 unless given).
/// Parsed from `ADDR`, `ADDR:PORT`, `[V6]` or `[V6]:PORT`.
public struct DNSServerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int = 53) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String, defaultPort: Int = 53) throws(DNSExchangeError) {
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw DNSExchangeError(.badAddress, "\"\(text)\": missing \"]\"") }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()) else {
                    throw DNSExchangeError(.badAddress, "\"\(text)\": expected \":PORT\" after \"]\"")
                }
                port = value
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { throw DNSExchangeError(.badAddress, "\"\(text)\": port is not a number") }
            port = value
            host = host[..<colon]
        }
        guard (0...65535).contains(port) else { throw DNSExchangeError(.badAddress, "\"\(text)\": port \(port) is not 0 to 65535") }
        guard (try? SocketAddress(ipAddress: String(host), port: port)) != nil else {
            throw DNSExchangeError(.badAddress, "\"\(text)\": \"\(host)\" is not an IP address")
        }
        self.host = String(host)
        self.port = port
    }

    public init(_ address: SocketAddress) {
        self.host = address.ipAddress ?? "?"
        self.port = address.port ?? 0
    }

    public func socketAddress() throws(DNSExchangeError) -> SocketAddress {
        do { return try SocketAddress(ipAddress: host, port: port) } catch {
            throw DNSExchangeError(.badAddress, "\(self) is not an IP address and port")
        }
    }

    public var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
