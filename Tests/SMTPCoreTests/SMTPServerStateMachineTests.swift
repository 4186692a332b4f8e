import Testing
@testable import SMTPCore

typealias Server = SMTPServerStateMachine

func code(_ action: Server.Action) -> SMTPReplyCode? {
    switch action {
    case .send(let reply), .sendAndStartTLS(let reply), .sendAndClose(let reply), .deliver(_, let reply): reply.code
    case .none: nil
    }
}

extension Server {
    mutating func line(_ text: String) -> Action { receive(line: text.bytes) }
}

/// RFC 5321 §4.1, §4.3.2 (sequences, 503), RFC 3207 §4.2 (reset after TLS), RFC 1870 SIZE.
@Suite struct RFC5321_4_3_2_ServerStateMachineTests {
    func server(tls: Bool = true, maxSize: Int = 1000, refusal: SMTPReply? = nil, maxRecipients: Int = 2) -> Server {
        var server = Server(configuration: .init(hostname: "mx.test", startTLSAvailable: tls, startTLSRefusal: refusal, maxMessageSize: maxSize, maxRecipients: maxRecipients))
        #expect(code(server.start()) == .serviceReady)
        #expect(server.start() == .none)
        return server
    }

    @Test func ehloListsExtensionsAndSTARTTLSOnlyBeforeTLS() throws {
        var s = server()
        guard case .send(let reply) = s.line("EHLO c.test") else { Issue.record("no reply"); return }
        let caps = EHLOCapabilities(reply: reply)
        #expect(caps.startTLS && caps.pipelining && caps.eightBitMIME && caps.enhancedStatusCodes && caps.size == .some(1000))
        #expect(code(s.line("MAIL FROM:<a@c.test>")) == .ok)
        #expect(code(s.line("STARTTLS")) == .serviceReady)
        #expect(s.line("EHLO pipelined.after.starttls") == .none)  // discarded until TLS is up
        #expect(s.lineTooLong() == .none)
        #expect(s.tlsEstablished() == .none)
        #expect(s.tlsActive)
        // RFC 3207 §4.2: state reset — no HELO known, no transaction.
        #expect(code(s.line("MAIL FROM:<a@c.test>")) == .badSequence)
        guard case .send(let after) = s.line("EHLO c.test") else { Issue.record("no reply"); return }
        #expect(!EHLOCapabilities(reply: after).startTLS)
        #expect(code(s.line("STARTTLS")) == .badSequence)
        #expect(s.tlsEstablished() == .none)
    }

    @Test func noTLSConfiguredOrRefused() {
        var plain = server(tls: false)
        _ = plain.line("EHLO c")
        #expect(code(plain.line("STARTTLS")) == .notImplemented)
        var refusing = server(refusal: SMTPReply(code: .tlsNotAvailable, "4.7.0 not now"))
        #expect(code(refusing.line("STARTTLS")) == .tlsNotAvailable)
        #expect(code(refusing.line("NOOP")) == .ok)
    }

    @Test func deliveryWithDotUnstuffing() throws {
        var s = server()
        #expect(code(s.line("HELO c.test")) == .ok)
        #expect(code(s.line("MAIL FROM:<> SIZE=10")) == .ok)
        #expect(code(s.line("MAIL FROM:<>")) == .badSequence)
        #expect(code(s.line("RCPT TO:<x@mx.test>")) == .ok)
        #expect(code(s.line("DATA")) == .startMailInput)
        #expect(s.line("Subject: t") == .none)
        #expect(s.line("") == .none)
        #expect(s.line("..leading dot") == .none)
        #expect(s.line("QUIT") == .none)  // data, not a command
        guard case .deliver(let message, let reply) = s.line(".") else { Issue.record("not delivered"); return }
        #expect(reply.code == .ok)
        #expect(message.data == "Subject: t\r\n\r\n.leading dot\r\nQUIT\r\n".bytes)
        #expect(message.heloName == "c.test" && message.reversePath == "" && message.recipients == ["x@mx.test"] && !message.overTLS)
        #expect(message.mailParameters == ["SIZE=10"])
        // The transaction is over: RCPT needs a new MAIL.
        #expect(code(s.line("RCPT TO:<x@mx.test>")) == .badSequence)
        #expect(code(s.line("QUIT")) == .closing)
        #expect(s.line("NOOP") == .none)
    }

    @Test func sequenceErrors() {
        var s = server()
        #expect(code(s.line("MAIL FROM:<a@b>")) == .badSequence)
        #expect(code(s.line("RCPT TO:<a@b>")) == .badSequence)
        #expect(code(s.line("DATA")) == .badSequence)
        _ = s.line("EHLO c")
        _ = s.line("MAIL FROM:<a@b>")
        #expect(code(s.line("DATA")) == .badSequence)
        #expect(code(s.line("RSET")) == .ok)
        #expect(code(s.line("RCPT TO:<a@b>")) == .badSequence)
    }

    @Test func unknownUnimplementedSyntaxAndLongLines() {
        var s = server()
        #expect(code(s.line("FOO")) == .syntaxError)
        #expect(code(s.line("VRFY x")) == .notImplemented)
        #expect(code(s.line("MAIL FROM")) == .parameterSyntaxError)
        #expect(code(s.lineTooLong()) == .syntaxError)
    }

    @Test func sizeLimits() {
        var s = server(maxSize: 20)
        _ = s.line("EHLO c")
        #expect(code(s.line("MAIL FROM:<a@b> SIZE=21")) == .exceededStorage)
        #expect(code(s.line("MAIL FROM:<a@b> SIZE=x")) == .parameterSyntaxError)
        _ = s.line("MAIL FROM:<a@b>")
        _ = s.line("RCPT TO:<c@d>")
        _ = s.line("DATA")
        _ = s.line("0123456789")
        _ = s.line("0123456789")  // 24 octets with CRLFs: over 20
        #expect(code(s.line(".")) == .exceededStorage)
        // The next transaction is independent.
        _ = s.line("MAIL FROM:<a@b>")
        _ = s.line("RCPT TO:<c@d>")
        _ = s.line("DATA")
        _ = s.line("short")
        if case .deliver(let message, _) = s.line(".") { #expect(message.data == "short\r\n".bytes) } else { Issue.record("not delivered") }
    }

    @Test func longLineInsideData() {
        var s = server()
        _ = s.line("EHLO c"); _ = s.line("MAIL FROM:<a@b>"); _ = s.line("RCPT TO:<c@d>"); _ = s.line("DATA")
        #expect(s.lineTooLong() == .none)
        #expect(code(s.line(".")) == .syntaxError)
    }

    @Test func recipientLimit() {
        var s = server(maxRecipients: 1)
        _ = s.line("EHLO c"); _ = s.line("MAIL FROM:<a@b>")
        #expect(code(s.line("RCPT TO:<c@d>")) == .ok)
        #expect(code(s.line("RCPT TO:<e@f>")) == .insufficientStorage)
    }

    @Test func requireTLSRefusesMailUntilTLS() {
        var s = Server(configuration: .init(hostname: "mx", startTLSAvailable: true, requireTLS: true))
        _ = s.start()
        _ = s.line("EHLO c")
        #expect(code(s.line("MAIL FROM:<a@b>")) == .tlsRequired)
        #expect(code(s.line("STARTTLS")) == .serviceReady)
        _ = s.tlsEstablished()
        _ = s.line("EHLO c")
        #expect(code(s.line("MAIL FROM:<a@b>")) == .ok)
    }

    @Test func beforeStartAndAfterClose() {
        var s = Server(configuration: .init(hostname: "mx", startTLSAvailable: false))
        #expect(s.line("EHLO c") == .none)
        #expect(s.lineTooLong() == .none)
        _ = s.start()
        s.closed()
        #expect(s.line("EHLO c") == .none)
        #expect(s.start() == .none)
    }
}
