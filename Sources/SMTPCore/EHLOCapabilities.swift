/// The service extensions a server lists in its EHLO reply (RFC 5321 §4.1.1.1, §2.2.2).
///
/// The first line is the server's domain and greeting; each further line is a keyword with
/// optional parameters. Keywords are case-insensitive and kept uppercased; unknown ones are
/// kept in order in `extensions` so nothing is lost.
public struct EHLOCapabilities: Hashable, Sendable {
    public struct Extension: Hashable, Sendable {
        public var keyword: String
        public var parameters: [String]

        public init(keyword: String, parameters: [String] = []) {
            self.keyword = keyword.uppercased()
            self.parameters = parameters
        }

        public var line: String { ([keyword] + parameters).joined(separator: " ") }
    }

    /// The first line of the reply: the server's domain and optional greeting text.
    public var greeting: String
    public var extensions: [Extension]

    public init(greeting: String, extensions: [Extension]) {
        self.greeting = greeting
        self.extensions = extensions
    }

    /// Reads the capabilities from a 250 EHLO reply.
    public init(reply: SMTPReply) {
        greeting = reply.lines.first ?? ""
        extensions = reply.lines.dropFirst().compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first else { return nil }
            return Extension(keyword: keyword, parameters: Array(words.dropFirst()))
        }
    }

    public func has(_ keyword: String) -> Bool { extensions.contains { $0.keyword == keyword.uppercased() } }

    /// RFC 3207 §4.
    public var startTLS: Bool { has("STARTTLS") }
    /// RFC 2920.
    public var pipelining: Bool { has("PIPELINING") }
    /// RFC 6152.
    public var eightBitMIME: Bool { has("8BITMIME") }
    /// RFC 6531.
    public var smtpUTF8: Bool { has("SMTPUTF8") }
    /// RFC 2034.
    public var enhancedStatusCodes: Bool { has("ENHANCEDSTATUSCODES") }

    /// RFC 1870 §4: SIZE with an optional fixed maximum; `SIZE` or `SIZE 0` means no fixed
    /// maximum. nil when SIZE is not offered; `.some(nil)` when offered with no limit or an
    /// unreadable parameter.
    public var size: UInt64?? {
        guard let ext = extensions.first(where: { $0.keyword == "SIZE" }) else { return nil }
        guard let first = ext.parameters.first, let value = UInt64(first), value > 0 else { return .some(nil) }
        return .some(value)
    }

    /// Extensions daneprobe does not interpret.
    public var unknown: [Extension] {
        let known: Set<String> = ["STARTTLS", "PIPELINING", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "SIZE"]
        return extensions.filter { !known.contains($0.keyword) }
    }

    /// The EHLO reply a server sends for these capabilities.
    public func reply() -> SMTPReply {
        SMTPReply(code: .ok, lines: [greeting] + extensions.map(\.line))
    }
}
