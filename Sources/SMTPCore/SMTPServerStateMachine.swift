/// A receiving ESMTP server as a value that returns actions (no I/O): greeting, EHLO/HELO,
/// STARTTLS (RFC 3207), MAIL/RCPT/DATA with SIZE (RFC 1870), QUIT (RFC 5321 §4.1, §4.3.2).
///
/// The transport frames lines (without CRLF), calls `receive(line:)` for each,
/// `lineTooLong()` when its framer reports a line over the limit, and `tlsEstablished()` when
/// the handshake after a 220 to STARTTLS completed.
public struct SMTPServerStateMachine: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// The server's name in the greeting and the EHLO reply.
        public var hostname: String
        /// Whether STARTTLS is offered (a certificate is configured).
        public var startTLSAvailable: Bool
        /// When set, STARTTLS is listed but answered with this reply (e.g. 454, RFC 3207 §4).
        public var startTLSRefusal: SMTPReply?
        /// Largest message accepted, in octets after dot-unstuffing (RFC 1870 SIZE).
        public var maxMessageSize: Int
        public var maxRecipients: Int
        /// Refuse MAIL until TLS is up: 530 "Must issue a STARTTLS command first" (RFC 3207 §4).
        public var requireTLS: Bool

        public init(hostname: String, startTLSAvailable: Bool, startTLSRefusal: SMTPReply? = nil, maxMessageSize: Int = 10 * 1024 * 1024, maxRecipients: Int = 100, requireTLS: Bool = false) {
            self.requireTLS = requireTLS
            self.hostname = hostname
            self.startTLSAvailable = startTLSAvailable
            self.startTLSRefusal = startTLSRefusal
            self.maxMessageSize = maxMessageSize
            self.maxRecipients = maxRecipients
        }
    }

    /// A message accepted at the end of DATA.
    public struct ReceivedMessage: Hashable, Sendable {
        public var heloName: String
        public var reversePath: String
        public var mailParameters: [String]
        public var recipients: [String]
        /// The message as the client meant it: dot-unstuffed, each line ending in CRLF.
        public var data: [UInt8]
        /// Whether it came over TLS started with STARTTLS.
        public var overTLS: Bool
    }

    public enum Action: Hashable, Sendable {
        case send(SMTPReply)
        /// Send the 220 to STARTTLS, then discard every byte already received and start the
        /// TLS handshake as server (RFC 3207 §4.2, §5).
        case sendAndStartTLS(SMTPReply)
        /// Store the message, then send the reply.
        case deliver(ReceivedMessage, SMTPReply)
        /// Send the reply, then close (QUIT, RFC 5321 §4.1.1.10).
        case sendAndClose(SMTPReply)
        /// Nothing to send (a line inside DATA, or bytes while TLS starts).
        case none
    }

    private struct Transaction: Sendable {
        var reversePath: String
        var parameters: [String]
        var recipients: [String] = []
    }

    private struct DataCollection: Sendable {
        var transaction: Transaction
        var data: [UInt8] = []
        var tooLarge = false
        var lineTooLong = false
    }

    private enum State: Sendable {
        case initial
        case commands
        case data(DataCollection)
        case startingTLS
        case closed
    }

    public let configuration: Configuration
    private var state: State = .initial
    private var heloName: String?
    private var transaction: Transaction?
    public private(set) var tlsActive = false

    public init(configuration: Configuration) { self.configuration = configuration }

    /// The greeting (RFC 5321 §3.1, §4.3.1).
    public mutating func start() -> Action {
        switch state {
        case .initial:
            state = .commands
            return .send(SMTPReply(code: .serviceReady, "\(configuration.hostname) ESMTP daneprobe"))
        case .commands, .data, .startingTLS, .closed:
            return .none
        }
    }

    /// The EHLO reply's capabilities for the current state: STARTTLS only before TLS.
    public var capabilities: EHLOCapabilities {
        var extensions: [EHLOCapabilities.Extension] = [
            .init(keyword: "PIPELINING"),
            .init(keyword: "SIZE", parameters: [String(configuration.maxMessageSize)]),
            .init(keyword: "8BITMIME"),
            .init(keyword: "ENHANCEDSTATUSCODES"),
        ]
        if configuration.startTLSAvailable, !tlsActive { extensions.append(.init(keyword: "STARTTLS")) }
        return EHLOCapabilities(greeting: configuration.hostname, extensions: extensions)
    }

    public mutating func receive(line: [UInt8]) -> Action {
        switch state {
        case .initial, .closed, .startingTLS:
            return .none
        case .data(var collection):
            return receiveData(line: line, &collection)
        case .commands:
            do {
                return handle(try SMTPCommand.parse(line: line))
            } catch {
                switch error.code {
                case .unrecognized: return .send(SMTPReply(code: .syntaxError, "5.5.2 Error: command not recognized"))
                case .notImplemented: return .send(SMTPReply(code: .notImplemented, "5.5.1 Error: command not implemented"))
                case .syntax, .invalidArgument: return .send(SMTPReply(code: .parameterSyntaxError, "5.5.4 Syntax: \(error.reason)"))
                }
            }
        }
    }

    /// The framer saw a line over its limit (RFC 5321 §4.5.3.1.4–6: 500 "line too long").
    /// Inside DATA the message is marked and refused at its end.
    public mutating func lineTooLong() -> Action {
        switch state {
        case .data(var collection):
            collection.lineTooLong = true
            state = .data(collection)
            return .none
        case .commands:
            return .send(SMTPReply(code: .syntaxError, "5.5.2 Error: line too long"))
        case .initial, .startingTLS, .closed:
            return .none
        }
    }

    /// TLS is up after a 220 to STARTTLS. RFC 3207 §4.2: the server MUST discard any
    /// knowledge obtained from the client (the EHLO argument, a transaction) and wait for EHLO.
    public mutating func tlsEstablished() -> Action {
        guard case .startingTLS = state else { return .none }
        tlsActive = true
        heloName = nil
        transaction = nil
        state = .commands
        return .none
    }

    /// The connection is gone (or the idle timeout closed it).
    public mutating func closed() {
        state = .closed
    }

    private mutating func handle(_ command: SMTPCommand) -> Action {
        switch command {
        case .ehlo(let name):
            heloName = name
            transaction = nil
            return .send(capabilities.reply())
        case .helo(let name):
            heloName = name
            transaction = nil
            return .send(SMTPReply(code: .ok, configuration.hostname))
        case .startTLS:
            guard configuration.startTLSAvailable, !tlsActive else {
                return .send(SMTPReply(code: tlsActive ? .badSequence : .notImplemented, tlsActive ? "5.5.1 Error: TLS already active" : "5.5.1 Error: command not implemented"))
            }
            if let refusal = configuration.startTLSRefusal { return .send(refusal) }
            state = .startingTLS
            return .sendAndStartTLS(SMTPReply(code: .serviceReady, "2.0.0 Ready to start TLS"))
        case .mail(let path, let parameters):
            guard heloName != nil else { return .send(SMTPReply(code: .badSequence, "5.5.1 Error: send HELO/EHLO first")) }
            guard transaction == nil else { return .send(SMTPReply(code: .badSequence, "5.5.1 Error: nested MAIL command")) }
            guard tlsActive || !configuration.requireTLS else {
                return .send(SMTPReply(code: .tlsRequired, "5.7.0 Must issue a STARTTLS command first"))
            }
            for parameter in parameters where parameter.uppercased().hasPrefix("SIZE=") {
                guard let size = Int(parameter.dropFirst(5)) else {
                    return .send(SMTPReply(code: .parameterSyntaxError, "5.5.4 Bad SIZE parameter"))
                }
                if size > configuration.maxMessageSize {
                    return .send(SMTPReply(code: .exceededStorage, "5.3.4 Message size exceeds fixed limit"))
                }
            }
            transaction = Transaction(reversePath: path, parameters: parameters)
            return .send(SMTPReply(code: .ok, "2.1.0 Ok"))
        case .rcpt(let path, _):
            guard var current = transaction else { return .send(SMTPReply(code: .badSequence, "5.5.1 Error: need MAIL command")) }
            guard current.recipients.count < configuration.maxRecipients else {
                return .send(SMTPReply(code: .insufficientStorage, "4.5.3 Error: too many recipients"))
            }
            current.recipients.append(path)
            transaction = current
            return .send(SMTPReply(code: .ok, "2.1.5 Ok"))
        case .data:
            guard let current = transaction, !current.recipients.isEmpty else {
                return .send(SMTPReply(code: .badSequence, "5.5.1 Error: need RCPT command"))
            }
            state = .data(DataCollection(transaction: current))
            return .send(SMTPReply(code: .startMailInput, "End data with <CR><LF>.<CR><LF>"))
        case .rset:
            transaction = nil
            return .send(SMTPReply(code: .ok, "2.0.0 Ok"))
        case .noop:
            return .send(SMTPReply(code: .ok, "2.0.0 Ok"))
        case .quit:
            state = .closed
            return .sendAndClose(SMTPReply(code: .closing, "2.0.0 Bye"))
        }
    }

    /// A line inside DATA (RFC 5321 §4.1.1.4, §4.5.2): "." alone ends the message; a leading
    /// "." is removed from any other line (dot-unstuffing). Past the size limit the octets are
    /// dropped and the message is refused at its end with 552 (RFC 1870 §6.3).
    private mutating func receiveData(line: [UInt8], _ collection: inout DataCollection) -> Action {
        if line == [UInt8(ascii: ".")] {
            state = .commands
            transaction = nil
            if collection.lineTooLong { return .send(SMTPReply(code: .syntaxError, "5.5.2 Error: line too long in message")) }
            if collection.tooLarge { return .send(SMTPReply(code: .exceededStorage, "5.3.4 Message size exceeds fixed limit")) }
            let message = ReceivedMessage(
                heloName: heloName ?? "",
                reversePath: collection.transaction.reversePath,
                mailParameters: collection.transaction.parameters,
                recipients: collection.transaction.recipients,
                data: collection.data,
                overTLS: tlsActive
            )
            return .deliver(message, SMTPReply(code: .ok, "2.0.0 Ok: queued"))
        }
        let content = line.first == UInt8(ascii: ".") ? line.dropFirst() : line[...]
        if !collection.tooLarge {
            if collection.data.count + content.count + 2 > configuration.maxMessageSize {
                collection.tooLarge = true
                collection.data = []
            } else {
                collection.data += content
                collection.data += [13, 10]
            }
        }
        state = .data(collection)
        return .none
    }
}
