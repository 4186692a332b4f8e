/// Splits `HOST`, `HOST:PORT`, `[V6]` and `[V6]:PORT` into host and port — the address form of
/// `--listen`, `--resolver` and friends. A bare IPv6 address (more than one colon) has no port.
public enum HostPortText {
    /// The host and port, or what is wrong with the text.
    public static func split(_ text: String, defaultPort: Int) -> Result<(host: String, port: Int), Problem> {
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return .failure(Problem("missing \"]\"")) }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()) else { return .failure(Problem("expected \":PORT\" after \"]\"")) }
                port = value
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { return .failure(Problem("port is not a number")) }
            port = value
            host = host[..<colon]
        }
        guard !host.isEmpty else { return .failure(Problem("empty host")) }
        guard (0...65535).contains(port) else { return .failure(Problem("port \(port) is not 0 to 65535")) }
        return .success((String(host), port))
    }

    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }
}
