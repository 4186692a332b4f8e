extension SMTPClientStateMachine {
    /// When the client issues STARTTLS.
    public enum TLSPolicy: Hashable, Sendable {
        /// Never: a plaintext probe.
        case never
        /// When the EHLO reply lists STARTTLS; otherwise go on in plaintext (opportunistic).
        case ifOffered
        /// Always: stop when it is not offered or refused (RFC 7672 §2.2: a secure usable TLSA
        /// RRset makes TLS mandatory). When not listed the client still tries the command.
        case required
    }

    /// One message to deliver after the handshake stages.
    public struct Delivery: Hashable, Sendable {
        public var reversePath: String
        public var recipients: [String]
        /// The message (headers and body), lines ending in CRLF; dot-stuffed on sending.
        public var message: [UInt8]

        public init(reversePath: String, recipients: [String], message: [UInt8]) {
            self.reversePath = reversePath
            self.recipients = recipients
            self.message = message
        }
    }

    /// The stages of a session, each with its own timeout.
    public enum Stage: Hashable, Sendable, CustomStringConvertible {
        case greeting, ehlo, helo, startTLS, tlsHandshake, ehloAfterTLS, mail, rcpt, data, message, quit

        public var description: String {
            switch self {
            case .greeting: "greeting"
            case .ehlo: "EHLO"
            case .helo: "HELO"
            case .startTLS: "STARTTLS"
            case .tlsHandshake: "TLS handshake"
            case .ehloAfterTLS: "EHLO after TLS"
            case .mail: "MAIL"
            case .rcpt: "RCPT"
            case .data: "DATA"
            case .message: "end of data"
            case .quit: "QUIT"
            }
        }
    }

    /// Per-stage timeouts, data for the transport to enforce with its clock. Defaults are the
    /// minimums of RFC 5321 §4.5.3.2 (5 min greeting/MAIL/RCPT/DATA, 10 min end of data), far
    /// too long for a probe; callers shorten them.
    public struct Timeouts: Hashable, Sendable {
        public var greeting: Duration = .seconds(300)
        public var command: Duration = .seconds(300)
        public var tlsHandshake: Duration = .seconds(60)
        public var endOfData: Duration = .seconds(600)

        public init() {}

        public init(all: Duration) {
            greeting = all
            command = all
            tlsHandshake = all
            endOfData = all
        }

        public func timeout(for stage: Stage) -> Duration {
            switch stage {
            case .greeting: greeting
            case .tlsHandshake: tlsHandshake
            case .message: endOfData
            case .ehlo, .helo, .startTLS, .ehloAfterTLS, .mail, .rcpt, .data, .quit: command
            }
        }
    }

    public struct Configuration: Hashable, Sendable {
        /// The domain sent in EHLO/HELO.
        public var clientName: String
        public var tls: TLSPolicy
        public var delivery: Delivery?
        public var timeouts: Timeouts

        public init(clientName: String, tls: TLSPolicy = .ifOffered, delivery: Delivery? = nil, timeouts: Timeouts = Timeouts()) {
            self.clientName = clientName
            self.tls = tls
            self.delivery = delivery
            self.timeouts = timeouts
        }
    }

    /// What the transport does next.
    public enum Action: Hashable, Sendable {
        /// Send nothing; wait for a reply within `timeout` (the greeting).
        case awaitReply(timeout: Duration)
        /// Write the command and wait for a reply within `timeout`.
        case send(SMTPCommand, timeout: Duration)
        /// Write the dot-stuffed message body ending in CRLF.CRLF; wait for the reply.
        case sendMessage([UInt8], timeout: Duration)
        /// Discard anything received after the 220 (RFC 3207 §5), start the TLS handshake as
        /// client, then call `tlsEstablished` or `tlsFailed`.
        case startTLS(timeout: Duration)
        /// The session ended: close the connection.
        case done(SMTPClientOutcome)
        /// The session failed: close the connection at once (no QUIT).
        case fail(SMTPClientOutcome)
    }

    /// One command (or the greeting, with no command) and the reply to it.
    public struct Exchange: Hashable, Sendable {
        public var stage: Stage
        public var command: SMTPCommand?
        public var reply: SMTPReply

        public init(stage: Stage, command: SMTPCommand?, reply: SMTPReply) {
            self.stage = stage
            self.command = command
            self.reply = reply
        }
    }

    /// What became of STARTTLS.
    public enum StartTLSResult: Hashable, Sendable {
        case notAttempted
        /// EHLO did not list STARTTLS (or HELO was used).
        case notOffered
        /// The server answered the command with this non-220 reply (e.g. 454, RFC 3207 §4).
        case refused(SMTPReply)
        case established
        case failed(String)
    }

    /// Why the session stopped.
    public enum StopReason: Hashable, Sendable, CustomStringConvertible {
        /// Every planned stage ran and the server answered QUIT (or closed after it).
        case completed
        /// A stage got a reply that ends the session.
        case rejected(Stage, SMTPReply)
        /// TLS was required and not offered (RFC 7672 §2.2: do not deliver in plaintext).
        case tlsRequiredNotOffered
        /// TLS was required and the command refused.
        case tlsRequiredRefused(SMTPReply)
        case tlsFailed(String)
        /// 421 at any stage (RFC 5321 §3.8).
        case serviceClosing(Stage, SMTPReply)
        /// The reply stream broke a rule or a limit.
        case protocolError(Stage, SMTPReplyError)
        /// No reply within the stage's timeout.
        case timeout(Stage)
        /// The peer closed the connection.
        case connectionClosed(Stage)
        /// A command could not be encoded (bad client name or path).
        case invalidCommand(SMTPCommandError)
    }
}

/// Everything a client session observed, stage by stage.
public struct SMTPClientOutcome: Hashable, Sendable {
    public var exchanges: [SMTPClientStateMachine.Exchange] = []
    public var greeting: SMTPReply?
    public var capabilitiesBeforeTLS: EHLOCapabilities?
    public var capabilitiesAfterTLS: EHLOCapabilities?
    /// The server refused EHLO with 5xx and the client fell back to HELO (RFC 5321 §4.1.4).
    public var usedHELO = false
    public var startTLS: SMTPClientStateMachine.StartTLSResult = .notAttempted
    /// Plaintext octets received after the 220 to STARTTLS and discarded (RFC 3207 §5);
    /// non-zero is a server bug or an injection attempt. Filled in by the transport.
    public var discardedAfterStartTLS = 0
    public var acceptedRecipients: [String] = []
    public var delivered = false
    public var stopReason: SMTPClientStateMachine.StopReason = .completed

    public init() {}

    public func reply(for stage: SMTPClientStateMachine.Stage) -> SMTPReply? {
        exchanges.last { $0.stage == stage }?.reply
    }
}

extension SMTPClientStateMachine.StopReason {
    /// In words, for reports and logs ("no reply to EHLO within its timeout").
    public var description: String {
        switch self {
        case .completed: "the session completed"
        case .rejected(let stage, let reply): "the server answered \(stage) with \(reply)"
        case .tlsRequiredNotOffered: "TLS is required and the server does not offer STARTTLS"
        case .tlsRequiredRefused(let reply): "TLS is required and the server refused STARTTLS: \(reply)"
        case .tlsFailed(let why): "the TLS handshake failed: \(why)"
        case .serviceClosing(let stage, let reply): "the server closed the service at \(stage): \(reply)"
        case .protocolError(let stage, let error): "a broken reply to \(stage): \(error)"
        case .timeout(let stage): stage == .greeting ? "no greeting within its timeout" : "no reply to \(stage) within its timeout"
        case .connectionClosed(let stage): "the server closed the connection at \(stage)"
        case .invalidCommand(let error): "a command could not be sent: \(error)"
        }
    }
}
