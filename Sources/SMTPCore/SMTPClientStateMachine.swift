/// The client side of an SMTP session as a value that returns actions (no I/O): greeting →
/// EHLO (HELO on 5xx) → STARTTLS → TLS → EHLO again → optional MAIL/RCPT/DATA → QUIT
/// (RFC 5321 §3, §4.1; RFC 3207).
///
/// The transport calls `start()` on connect, `receive(_:)` with each complete reply, and the
/// event functions (`tlsEstablished`, `tlsFailed`, `timedOut`, `connectionClosed`,
/// `protocolError`) as they happen, and carries out the returned `Action`.
public struct SMTPClientStateMachine: Sendable {
    private enum State: Sendable {
        case idle
        case awaiting(Stage, SMTPCommand?)
        case handshaking
        case finished
    }

    public let configuration: Configuration
    public private(set) var outcome = SMTPClientOutcome()
    private var state: State = .idle
    private var pendingRecipients: [String] = []
    /// The stop reason kept while QUIT is in flight.
    private var stopAfterQuit: StopReason = .completed

    public init(configuration: Configuration) { self.configuration = configuration }

    /// The stage whose reply is awaited, nil when none is.
    public var awaitedStage: Stage? {
        switch state {
        case .awaiting(let stage, _): stage
        case .handshaking: .tlsHandshake
        case .idle, .finished: nil
        }
    }

    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    /// Connected: wait for the greeting (RFC 5321 §3.1).
    public mutating func start() -> Action {
        switch state {
        case .idle:
            state = .awaiting(.greeting, nil)
            return .awaitReply(timeout: configuration.timeouts.greeting)
        case .awaiting, .handshaking, .finished:
            return finish(.fail, outcome.stopReason)
        }
    }

    public mutating func receive(_ reply: SMTPReply) -> Action {
        guard case .awaiting(let stage, let command) = state else {
            // A reply while handshaking or after the end: the server is out of step.
            return finish(.fail, .protocolError(awaitedStage ?? .quit, SMTPReplyError(.invalidCode, lineIndex: 0, reason: "unexpected reply \(reply.code)")))
        }
        outcome.exchanges.append(Exchange(stage: stage, command: command, reply: reply))
        if reply.code == .serviceNotAvailable, stage != .quit {
            return finish(.fail, .serviceClosing(stage, reply))
        }
        switch stage {
        case .greeting:
            outcome.greeting = reply
            guard reply.code == .serviceReady else { return quit(.rejected(.greeting, reply)) }
            return send(.ehlo(configuration.clientName), stage: .ehlo)
        case .ehlo:
            if reply.code.isPositiveCompletion {
                let capabilities = EHLOCapabilities(reply: reply)
                outcome.capabilitiesBeforeTLS = capabilities
                return afterHello(startTLSListed: capabilities.startTLS)
            }
            if reply.code.isPermanentNegative {
                outcome.usedHELO = true
                return send(.helo(configuration.clientName), stage: .helo)
            }
            return quit(.rejected(.ehlo, reply))
        case .helo:
            guard reply.code.isPositiveCompletion else { return quit(.rejected(.helo, reply)) }
            return afterHello(startTLSListed: false)
        case .startTLS:
            guard reply.code == .serviceReady else {
                outcome.startTLS = .refused(reply)
                if configuration.tls == .required { return quit(.tlsRequiredRefused(reply)) }
                return beginTransaction()
            }
            state = .handshaking
            return .startTLS(timeout: configuration.timeouts.tlsHandshake)
        case .ehloAfterTLS:
            guard reply.code.isPositiveCompletion else { return quit(.rejected(.ehloAfterTLS, reply)) }
            outcome.capabilitiesAfterTLS = EHLOCapabilities(reply: reply)
            return beginTransaction()
        case .mail:
            guard reply.code.isPositiveCompletion else { return quit(.rejected(.mail, reply)) }
            return nextRecipient()
        case .rcpt:
            if reply.code.isPositiveCompletion, case .rcpt(let path, _) = command {
                outcome.acceptedRecipients.append(path)
            }
            return nextRecipient(lastReply: reply)
        case .data:
            guard reply.code == .startMailInput, let delivery = configuration.delivery else {
                return quit(.rejected(.data, reply))
            }
            state = .awaiting(.message, nil)
            return .sendMessage(Self.dotStuffed(delivery.message), timeout: configuration.timeouts.endOfData)
        case .message:
            guard reply.code.isPositiveCompletion else { return quit(.rejected(.message, reply)) }
            outcome.delivered = true
            return quit(.completed)
        case .quit:
            return finish(.done, stopAfterQuit)
        case .tlsHandshake:
            // Never awaited as a reply: handshaking has its own state.
            return finish(.fail, .protocolError(.tlsHandshake, SMTPReplyError(.invalidCode, lineIndex: 0, reason: "reply during TLS handshake")))
        }
    }

    /// The TLS handshake after STARTTLS succeeded: RFC 3207 §4.2 — the client MUST discard
    /// what it knew from the server and issue EHLO again.
    public mutating func tlsEstablished() -> Action {
        guard case .handshaking = state else { return finish(.fail, .tlsFailed("TLS established in the wrong state")) }
        outcome.startTLS = .established
        return send(.ehlo(configuration.clientName), stage: .ehloAfterTLS)
    }

    /// The TLS handshake failed; the connection is unusable (RFC 3207 §4.1).
    public mutating func tlsFailed(_ reason: String) -> Action {
        outcome.startTLS = .failed(reason)
        return finish(.fail, .tlsFailed(reason))
    }

    /// The awaited stage's timeout passed.
    public mutating func timedOut() -> Action {
        guard let stage = awaitedStage else { return finish(.fail, outcome.stopReason) }
        if stage == .quit { return finish(.done, stopAfterQuit) }
        if stage == .tlsHandshake { outcome.startTLS = .failed("handshake timed out") }
        return finish(.fail, .timeout(stage))
    }

    /// The peer closed the connection.
    public mutating func connectionClosed() -> Action {
        guard let stage = awaitedStage else { return finish(.done, outcome.stopReason) }
        if stage == .quit { return finish(.done, stopAfterQuit) }
        return finish(.fail, .connectionClosed(stage))
    }

    /// The reply stream broke a rule or a limit: stop without QUIT, the stream is out of step.
    public mutating func protocolError(_ error: SMTPReplyError) -> Action {
        finish(.fail, .protocolError(awaitedStage ?? .greeting, error))
    }

    // MARK: - Steps

    private mutating func afterHello(startTLSListed: Bool) -> Action {
        switch configuration.tls {
        case .never:
            return beginTransaction()
        case .ifOffered:
            guard startTLSListed else {
                outcome.startTLS = .notOffered
                return beginTransaction()
            }
            return send(.startTLS, stage: .startTLS)
        case .required:
            if !startTLSListed {
                outcome.startTLS = .notOffered
                if outcome.usedHELO { return quit(.tlsRequiredNotOffered) }
            }
            return send(.startTLS, stage: .startTLS)
        }
    }

    private mutating func beginTransaction() -> Action {
        guard let delivery = configuration.delivery else { return quit(.completed) }
        pendingRecipients = delivery.recipients
        return send(.mail(reversePath: delivery.reversePath, parameters: []), stage: .mail)
    }

    private mutating func nextRecipient(lastReply: SMTPReply? = nil) -> Action {
        if !pendingRecipients.isEmpty {
            let next = pendingRecipients.removeFirst()
            return send(.rcpt(forwardPath: next, parameters: []), stage: .rcpt)
        }
        guard !outcome.acceptedRecipients.isEmpty else {
            return quit(.rejected(.rcpt, lastReply ?? SMTPReply(code: .transactionFailed, "no recipients")))
        }
        return send(.data, stage: .data)
    }

    private mutating func send(_ command: SMTPCommand, stage: Stage) -> Action {
        do {
            _ = try command.encoded()
        } catch {
            return finish(.fail, .invalidCommand(error))
        }
        state = .awaiting(stage, command)
        return .send(command, timeout: configuration.timeouts.timeout(for: stage))
    }

    private mutating func quit(_ reason: StopReason) -> Action {
        stopAfterQuit = reason
        state = .awaiting(.quit, .quit)
        return .send(.quit, timeout: configuration.timeouts.timeout(for: .quit))
    }

    private enum Ending { case done, fail }

    private mutating func finish(_ ending: Ending, _ reason: StopReason) -> Action {
        state = .finished
        outcome.stopReason = reason
        switch ending {
        case .done: return .done(outcome)
        case .fail: return .fail(outcome)
        }
    }

    /// The message as sent after DATA (RFC 5321 §4.5.2): a "." is added before each line that
    /// begins with ".", a final CRLF is added when missing, then the terminating ".CRLF".
    public static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 5)
        var atLineStart = true
        for octet in message {
            if atLineStart, octet == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(octet)
            atLineStart = octet == 10
        }
        if out.last == 13 { out.append(10) } else if !out.isEmpty, out.last != 10 { out += [13, 10] }
        out += Array(".\r\n".utf8)
        return out
    }
}
