/// An address to listen on: `127.0.0.1`, `127.0.0.10:5353`, `[::1]:53`, `::1`; port 53 when
/// none is given, 0 for "any free port" (tests).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int = 53) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST`, `HOST:PORT`, `[V6]` or `[V6]:PORT` (a bare IPv6 address has no port).
    public init(parsing text: String, defaultPort: Int = 53) throws(ListenAddressError) {
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw ListenAddressError(text, "missing \"]\"") }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()) else { throw ListenAddressError(text, "expected \":PORT\" after \"]\"") }
                port = value
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { throw ListenAddressError(text, "port is not a number") }
            port = value
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw ListenAddressError(text, "empty host") }
        guard (0...65535).contains(port) else { throw ListenAddressError(text, "port \(port) is not 0 to 65535") }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct ListenAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String

    init(_ text: String, _ reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "\"\(text)\" is not an address to listen on: \(reason)" }
}
