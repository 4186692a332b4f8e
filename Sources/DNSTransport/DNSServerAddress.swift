import DNSCore
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
        let parts: (host: String, port: Int)
        switch HostPortText.split(text, defaultPort: defaultPort) {
        case .success(let split): parts = split
        case .failure(let problem): throw DNSExchangeError(.badAddress, "\"\(text)\": \(problem.reason)")
        }
        guard (try? SocketAddress(ipAddress: parts.host, port: parts.port)) != nil else {
            throw DNSExchangeError(.badAddress, "\"\(text)\": \"\(parts.host)\" is not an IP address")
        }
        self.host = parts.host
        self.port = parts.port
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
