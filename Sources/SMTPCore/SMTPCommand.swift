/// The SMTP commands daneprobe sends and serves (RFC 5321 §4.1.1, RFC 3207 §4 for STARTTLS).
///
/// Paths are kept without their angle brackets: `mail(reversePath: "", …)` is the null
/// reverse-path `<>`. `parameters` are the ESMTP parameters after the path (RFC 5321 §4.1.2,
/// e.g. "SIZE=1234", "BODY=8BITMIME").
public enum SMTPCommand: Hashable, Sendable {
    case ehlo(String)
    case helo(String)
    case startTLS
    case mail(reversePath: String, parameters: [String])
    case rcpt(forwardPath: String, parameters: [String])
    case data
    case quit
    case rset
    case noop

    /// The verb as sent.
    public var verb: String {
        switch self {
        case .ehlo: "EHLO"
        case .helo: "HELO"
        case .startTLS: "STARTTLS"
        case .mail: "MAIL"
        case .rcpt: "RCPT"
        case .data: "DATA"
        case .quit: "QUIT"
        case .rset: "RSET"
        case .noop: "NOOP"
        }
    }

    /// The command line without its CRLF.
    public var text: String {
        switch self {
        case .ehlo(let domain): "EHLO \(domain)"
        case .helo(let domain): "HELO \(domain)"
        case .startTLS, .data, .quit, .rset, .noop: verb
        case .mail(let path, let parameters): (["MAIL FROM:<\(path)>"] + parameters).joined(separator: " ")
        case .rcpt(let path, let parameters): (["RCPT TO:<\(path)>"] + parameters).joined(separator: " ")
        }
    }

    /// The command on the wire, ending in CRLF (RFC 5321 §2.3.8). Arguments are checked so no
    /// command can carry a second one: CR, LF, other controls and non-ASCII octets are refused
    /// (RFC 5321 §4.1.1: commands are US-ASCII), as are "<" and ">" inside a path and spaces
    /// inside a domain, path or parameter.
    public func encoded() throws(SMTPCommandError) -> [UInt8] {
        func check(_ value: String, what: String, allowSpace: Bool = false) throws(SMTPCommandError) {
            for octet in value.utf8 where octet < 0x20 || octet > 0x7E || (!allowSpace && octet == 0x20) {
                throw SMTPCommandError(.invalidArgument, reason: "\(what) contains octet \(octet)")
            }
        }
        switch self {
        case .ehlo(let domain), .helo(let domain):
            guard !domain.isEmpty else { throw SMTPCommandError(.invalidArgument, reason: "empty domain") }
            try check(domain, what: "domain")
        case .mail(let path, let parameters), .rcpt(let path, let parameters):
            try check(path, what: "path")
            if path.contains("<") || path.contains(">") { throw SMTPCommandError(.invalidArgument, reason: "angle bracket inside a path") }
            for parameter in parameters {
                guard !parameter.isEmpty else { throw SMTPCommandError(.invalidArgument, reason: "empty parameter") }
                try check(parameter, what: "parameter")
            }
        case .startTLS, .data, .quit, .rset, .noop:
            break
        }
        return Array(text.utf8) + [13, 10]
    }

    /// Verbs a server recognises but daneprobe's server does not implement (reply 502,
    /// RFC 5321 §4.2.4).
    static let recognisedUnimplemented: Set<String> = ["VRFY", "EXPN", "HELP", "TURN", "AUTH", "BDAT", "ETRN", "SEND", "SOML", "SAML"]

    /// Parses one command line (without its CRLF) as a server does (RFC 5321 §4.1.1).
    /// Verbs are case-insensitive; "MAIL FROM:" and "RCPT TO:" too (RFC 5321 §2.4). An
    /// unknown verb is `.unrecognized` (500), a known one we do not serve `.notImplemented`
    /// (502), a malformed argument `.syntax` (501).
    public static func parse(line: some Collection<UInt8>) throws(SMTPCommandError) -> SMTPCommand {
        let bytes = Array(line)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E || $0 == 0x09 }) else {
            throw SMTPCommandError(.syntax, reason: "control or non-ASCII octet in command")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let verbEnd = text.firstIndex(of: " ") ?? text.endIndex
        let verb = text[..<verbEnd].uppercased()
        let argument = text[verbEnd...].drop { $0 == " " }
        func noArgument(_ command: SMTPCommand) throws(SMTPCommandError) -> SMTPCommand {
            guard argument.allSatisfy({ $0 == " " }) else {
                throw SMTPCommandError(.syntax, reason: "\(verb) takes no argument")
            }
            return command
        }
        switch verb {
        case "EHLO", "HELO":
            let domain = argument.trimmingTrailingSpaces()
            guard !domain.isEmpty, !domain.contains(" ") else { throw SMTPCommandError(.syntax, reason: "\(verb) needs one domain") }
            return verb == "EHLO" ? .ehlo(String(domain)) : .helo(String(domain))
        case "STARTTLS": return try noArgument(.startTLS)
        case "DATA": return try noArgument(.data)
        case "QUIT": return try noArgument(.quit)
        case "RSET": return try noArgument(.rset)
        case "NOOP": return .noop  // RFC 5321 §4.1.1.9: the argument is ignored
        case "MAIL":
            let (path, parameters) = try pathAndParameters(argument, prefix: "FROM:")
            return .mail(reversePath: path, parameters: parameters)
        case "RCPT":
            let (path, parameters) = try pathAndParameters(argument, prefix: "TO:")
            guard !path.isEmpty else { throw SMTPCommandError(.syntax, reason: "empty forward-path") }
            return .rcpt(forwardPath: path, parameters: parameters)
        default:
            if recognisedUnimplemented.contains(verb) {
                throw SMTPCommandError(.notImplemented, reason: "\(verb) is not implemented")
            }
            throw SMTPCommandError(.unrecognized, reason: "unknown command")
        }
    }

    private static func pathAndParameters(_ argument: Substring, prefix: String) throws(SMTPCommandError) -> (String, [String]) {
        guard argument.uppercased().hasPrefix(prefix) else {
            throw SMTPCommandError(.syntax, reason: "expected \(prefix)")
        }
        let rest = argument.dropFirst(prefix.count).drop { $0 == " " }
        guard rest.first == "<", let close = rest.firstIndex(of: ">") else {
            throw SMTPCommandError(.syntax, reason: "path must be in angle brackets")
        }
        let path = rest[rest.index(after: rest.startIndex)..<close]
        guard !path.contains("<") else { throw SMTPCommandError(.syntax, reason: "nested angle bracket") }
        let after = rest[rest.index(after: close)...]
        guard after.isEmpty || after.first == " " else { throw SMTPCommandError(.syntax, reason: "text after the path") }
        let parameters = after.split(separator: " ").map(String.init)
        return (String(path), parameters)
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}

/// Why a command line could not be parsed or encoded. Compare on `code`.
public struct SMTPCommandError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// Unknown verb: reply 500 (RFC 5321 §4.2.4).
        case unrecognized
        /// Known verb not served: reply 502.
        case notImplemented
        /// Bad argument: reply 501.
        case syntax
        /// An argument that cannot be sent (would break the line or the command).
        case invalidArgument
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "SMTP command error (\(code)): \(reason)" }
}
