import DNSCore

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
        switch HostPortText.split(text, defaultPort: defaultPort) {
        case .success(let parts):
            self.host = parts.host
            self.port = parts.port
        case .failure(let problem):
            throw ListenAddressError(text, problem.reason)
        }
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
