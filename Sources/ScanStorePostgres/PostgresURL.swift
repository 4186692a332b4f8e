import Foundation

/// Where a PostgreSQL scan database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…]`
/// (also `postgresql://`), the libpq URI form (PostgreSQL manual §34.1.1). Percent-escapes in
/// the user, password and database are decoded; an IPv6 host is written in brackets.
/// `sslmode`: `disable` (the default here: workers usually reach the database over a private
/// network or a loopback tunnel), `prefer` or `require` (TLS verified against the system's CA
/// store; `verify-full` is accepted as a synonym of `require`, which already checks the name).
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL database rather than a file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(parsing text: String) throws(PostgresURLError) {
        guard Self.isPostgres(text) else { throw PostgresURLError("expected postgres://USER@HOST[:PORT]/DB, got \"\(text.prefix(80))\"") }
        guard let components = URLComponents(string: text) else { throw PostgresURLError("not a URL: \"\(Self.redacted(text))\"") }
        guard let user = components.user, !user.isEmpty else { throw PostgresURLError("\(Self.redacted(text)): no user (postgres://USER@HOST/DB)") }
        guard let host = components.host, !host.isEmpty else { throw PostgresURLError("\(Self.redacted(text)): no host") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw PostgresURLError("\(Self.redacted(text)): expected one database name after the host") }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw PostgresURLError("\(Self.redacted(text)): port \(port) out of range") }
        var tls = TLSMode.disable
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "disable"): tls = .disable
            case ("sslmode", "allow"), ("sslmode", "prefer"): tls = .prefer
            case ("sslmode", "require"), ("sslmode", "verify-ca"), ("sslmode", "verify-full"): tls = .require
            case ("sslmode", let other): throw PostgresURLError("sslmode \(other): expected disable, prefer or require")
            case (let name, _): throw PostgresURLError("unknown parameter \(name) (only sslmode is understood)")
            }
        }
        self.user = components.user?.removingPercentEncoding ?? user
        self.password = components.password?.removingPercentEncoding ?? components.password
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
    }

    /// This URL with `password` filled in from `environment["PGPASSWORD"]` when it has none
    /// (libpq's rule, PostgreSQL manual §34.15).
    public func withPasswordFromEnvironment(_ environment: [String: String]) -> PostgresURL {
        var url = self
        if url.password == nil { url.password = environment["PGPASSWORD"] }
        return url
    }

    /// The URL without its password (for messages and logs).
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)\(tls == .disable ? "" : "?sslmode=\(tls.rawValue)")"
    }

    /// `text` with any password replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://") else { return String(text.prefix(80)) }
        let userInfo = text[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return String(text.prefix(80)) }
        return String((text[..<colon] + ":***" + text[at...]).prefix(80))
    }
}

public struct PostgresURLError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
