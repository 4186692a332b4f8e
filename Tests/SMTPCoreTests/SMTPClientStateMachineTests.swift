import Testing
@testable import SMTPCore

typealias Client = SMTPClientStateMachine

let ehloWithTLS = SMTPReply(code: .ok, lines: ["mx.test", "PIPELINING", "STARTTLS"])
let ehloAfterTLS = SMTPReply(code: .ok, lines: ["mx.test", "PIPELINING", "SIZE 100"])
let ehloPlain = SMTPReply(code: .ok, lines: ["mx.test", "8BITMIME"])
let greeting = SMTPReply(code: .serviceReady, "mx.test ESMTP")
let bye = SMTPReply(code: .closing, "2.0.0 Bye")
let ok = SMTPReply(code: .ok, "2.0.0 Ok")

func command(_ action: Client.Action) -> SMTPCommand? {
    if case .send(let command, _) = action { return command }
    return nil
}

func outcome(_ action: Client.Action) -> (done: Bool, SMTPClientOutcome)? {
    switch action {
    case .done(let outcome): (true, outcome)
    case .fail(let outcome): (false, outcome)
    case .send, .sendMessage, .startTLS, .awaitReply: nil
    }
}

/// RFC 5321 §3 / RFC 3207 §4: the probe session, stage by stage.
@Suite struct RFC3207_4_ClientStateMachineTests {
    var timeouts: Client.Timeouts {
        var t = Client.Timeouts()
        t.greeting = .seconds(1)
        t.command = .seconds(2)
        t.tlsHandshake = .seconds(3)
        t.endOfData = .seconds(4)
        return t
    }

    @Test func fullProbeWithSTARTTLS() throws {
        var client = Client(configuration: .init(clientName: "probe.test", tls: .ifOffered, timeouts: timeouts))
        #expect(client.start() == .awaitReply(timeout: .seconds(1)))
        #expect(client.awaitedStage == .greeting)
        #expect(client.receive(greeting) == .send(.ehlo("probe.test"), timeout: .seconds(2)))
        #expect(client.receive(ehloWithTLS) == .send(.startTLS, timeout: .seconds(2)))
        #expect(client.receive(SMTPReply(code: .serviceReady, "2.0.0 Ready")) == .startTLS(timeout: .seconds(3)))
        #expect(client.awaitedStage == .tlsHandshake)
        #expect(command(client.tlsEstablished()) == .ehlo("probe.test"))
        #expect(command(client.receive(ehloAfterTLS)) == .quit)
        let (done, result) = try #require(outcome(client.receive(bye)))
        #expect(done && client.isFinished)
        #expect(result.stopReason == .completed)
        #expect(result.startTLS == .established)
        #expect(result.capabilitiesBeforeTLS?.startTLS == true)
        #expect(result.capabilitiesAfterTLS?.size == .some(100))
        #expect(result.greeting == greeting)
        #expect(result.exchanges.map(\.stage) == [.greeting, .ehlo, .startTLS, .ehloAfterTLS, .quit])
        #expect(result.reply(for: .startTLS)?.code == .serviceReady)
        #expect(client.awaitedStage == nil)
    }

    @Test func heloFallbackOn5xx() throws {
        var client = Client(configuration: .init(clientName: "p.test", tls: .ifOffered))
        _ = client.start()
        _ = client.receive(greeting)
        #expect(command(client.receive(SMTPReply(code: .syntaxError, "what"))) == .helo("p.test"))
        #expect(command(client.receive(ok)) == .quit)
        let (_, result) = try #require(outcome(client.receive(bye)))
        #expect(result.usedHELO && result.startTLS == .notOffered && result.stopReason == .completed)
    }

    @Test func heloRejected() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start(); _ = client.receive(greeting); _ = client.receive(SMTPReply(code: .notImplemented, "no"))
        #expect(command(client.receive(SMTPReply(code: .mailboxUnavailable, "no"))) == .quit)
        let (_, result) = try #require(outcome(client.receive(bye)))
        #expect(result.stopReason == .rejected(.helo, SMTPReply(code: .mailboxUnavailable, "no")))
    }

    @Test func ehlo4xxQuits() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start(); _ = client.receive(greeting)
        #expect(command(client.receive(SMTPReply(code: .localError, "later"))) == .quit)
        #expect(outcome(client.connectionClosed())?.1.stopReason == .rejected(.ehlo, SMTPReply(code: .localError, "later")))
    }

    @Test func greetingRefused() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start()
        let refusal = SMTPReply(code: .transactionFailed, "go away")
        #expect(command(client.receive(refusal)) == .quit)
        #expect(outcome(client.receive(bye))?.1.stopReason == .rejected(.greeting, refusal))
    }

    @Test func serviceClosing421AnyStage() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start(); _ = client.receive(greeting)
        let closing = SMTPReply(code: .serviceNotAvailable, "bye")
        let (done, result) = try #require(outcome(client.receive(closing)))
        #expect(!done && result.stopReason == .serviceClosing(.ehlo, closing))
    }

    @Test func notOfferedOpportunisticGoesOnPlain() throws {
        var client = Client(configuration: .init(clientName: "p.test", tls: .ifOffered))
        _ = client.start(); _ = client.receive(greeting)
        #expect(command(client.receive(ehloPlain)) == .quit)
        #expect(outcome(client.receive(bye))?.1.startTLS == .notOffered)
    }

    @Test func neverPolicySkipsTLS() throws {
        var client = Client(configuration: .init(clientName: "p.test", tls: .never))
        _ = client.start(); _ = client.receive(greeting)
        #expect(command(client.receive(ehloWithTLS)) == .quit)
        #expect(outcome(client.receive(bye))?.1.startTLS == .notAttempted)
    }

    @Test func requiredTriesEvenWhenNotListed() throws {
        var client = Client(configuration: .init(clientName: "p.test", tls: .required))
        _ = client.start(); _ = client.receive(greeting)
        #expect(command(client.receive(ehloPlain)) == .startTLS)
        let refusal = SMTPReply(code: .notImplemented, "5.5.1 no")
        #expect(command(client.receive(refusal)) == .quit)
        let (_, result) = try #require(outcome(client.receive(bye)))
        #expect(result.stopReason == .tlsRequiredRefused(refusal))
        #expect(result.startTLS == .refused(refusal))
    }

    @Test func requiredAfterHELOStops() throws {
        var client = Client(configuration: .init(clientName: "p.test", tls: .required))
        _ = client.start(); _ = client.receive(greeting); _ = client.receive(SMTPReply(code: .syntaxError, "?"))
        #expect(command(client.receive(ok)) == .quit)
        #expect(outcome(client.receive(bye))?.1.stopReason == .tlsRequiredNotOffered)
    }

    @Test func refused454OpportunisticContinues() throws {
        var client = Client(configuration: .init(clientName: "p.test", tls: .ifOffered))
        _ = client.start(); _ = client.receive(greeting); _ = client.receive(ehloWithTLS)
        let refusal = SMTPReply(code: .tlsNotAvailable, "4.7.0 TLS not available")
        #expect(command(client.receive(refusal)) == .quit)
        let (_, result) = try #require(outcome(client.receive(bye)))
        #expect(result.startTLS == .refused(refusal) && result.stopReason == .completed)
    }

    @Test func tlsFailure() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start(); _ = client.receive(greeting); _ = client.receive(ehloWithTLS); _ = client.receive(SMTPReply(code: .serviceReady, "go"))
        let (done, result) = try #require(outcome(client.tlsFailed("alert")))
        #expect(!done && result.stopReason == .tlsFailed("alert") && result.startTLS == .failed("alert"))
    }

    @Test func handshakeTimeout() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start(); _ = client.receive(greeting); _ = client.receive(ehloWithTLS); _ = client.receive(SMTPReply(code: .serviceReady, "go"))
        let (_, result) = try #require(outcome(client.timedOut()))
        #expect(result.stopReason == .timeout(.tlsHandshake) && result.startTLS == .failed("handshake timed out"))
    }

    @Test func replyDuringHandshakeIsAProtocolError() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start(); _ = client.receive(greeting); _ = client.receive(ehloWithTLS); _ = client.receive(SMTPReply(code: .serviceReady, "go"))
        let (done, _) = try #require(outcome(client.receive(ok)))
        #expect(!done)
    }

    @Test func ehloAfterTLSRejected() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start(); _ = client.receive(greeting); _ = client.receive(ehloWithTLS); _ = client.receive(SMTPReply(code: .serviceReady, "go"))
        _ = client.tlsEstablished()
        let no = SMTPReply(code: .transactionFailed, "no")
        #expect(command(client.receive(no)) == .quit)
        #expect(outcome(client.receive(bye))?.1.stopReason == .rejected(.ehloAfterTLS, no))
    }

    @Test func tlsEstablishedInWrongState() throws {
        var client = Client(configuration: .init(clientName: "p.test"))
        _ = client.start()
        #expect(outcome(client.tlsEstablished())?.1.stopReason == .tlsFailed("TLS established in the wrong state"))
    }

    @Test func timeoutsAndClosesPerStage() throws {
        var a = Client(configuration: .init(clientName: "p.test"))
        _ = a.start()
        #expect(outcome(a.timedOut())?.1.stopReason == .timeout(.greeting))
        #expect(outcome(a.timedOut())?.0 == false)  // finished: stays finished
        var b = Client(configuration: .init(clientName: "p.test"))
        _ = b.start(); _ = b.receive(greeting)
        #expect(outcome(b.connectionClosed())?.1.stopReason == .connectionClosed(.ehlo))
        #expect(outcome(b.connectionClosed())?.0 == true)
        var c = Client(configuration: .init(clientName: "p.test", tls: .never))
        _ = c.start(); _ = c.receive(greeting); _ = c.receive(ehloPlain)
        #expect(outcome(c.timedOut())?.1.stopReason == .completed)  // no 221: fine
        var d = Client(configuration: .init(clientName: "p.test"))
        _ = d.start()
        let error = SMTPReplyError(.lineTooLong, lineIndex: 0, reason: "x")
        #expect(outcome(d.protocolError(error))?.1.stopReason == .protocolError(.greeting, error))
        #expect(outcome(d.start())?.0 == false)
    }

    @Test func invalidClientName() throws {
        var client = Client(configuration: .init(clientName: "bad name"))
        _ = client.start()
        let result = try #require(outcome(client.receive(greeting)))
        guard case .invalidCommand(let error) = result.1.stopReason else { Issue.record("\(result.1.stopReason)"); return }
        #expect(error.code == .invalidArgument)
    }

    @Test func fullDelivery() throws {
        let message = "Subject: hi\r\n\r\n.dot line\r\nend".bytes
        let delivery = Client.Delivery(reversePath: "a@p.test", recipients: ["x@mx.test", "y@mx.test"], message: message)
        var client = Client(configuration: .init(clientName: "p.test", tls: .never, delivery: delivery, timeouts: timeouts))
        _ = client.start(); _ = client.receive(greeting)
        #expect(command(client.receive(ehloPlain)) == .mail(reversePath: "a@p.test", parameters: []))
        #expect(command(client.receive(ok)) == .rcpt(forwardPath: "x@mx.test", parameters: []))
        #expect(command(client.receive(SMTPReply(code: .mailboxUnavailable, "no such user"))) == .rcpt(forwardPath: "y@mx.test", parameters: []))
        #expect(command(client.receive(ok)) == .data)
        #expect(client.receive(SMTPReply(code: .startMailInput, "go")) == .sendMessage("Subject: hi\r\n\r\n..dot line\r\nend\r\n.\r\n".bytes, timeout: .seconds(4)))
        #expect(command(client.receive(ok)) == .quit)
        let (_, result) = try #require(outcome(client.receive(bye)))
        #expect(result.delivered && result.acceptedRecipients == ["y@mx.test"] && result.stopReason == .completed)
    }

    @Test func deliveryRejections() throws {
        let delivery = Client.Delivery(reversePath: "", recipients: ["x@mx.test"], message: "a\r\n".bytes)
        func run(_ replies: [SMTPReply]) -> Client.StopReason? {
            var client = Client(configuration: .init(clientName: "p.test", tls: .never, delivery: delivery))
            _ = client.start(); _ = client.receive(greeting); _ = client.receive(ehloPlain)
            var last: Client.Action = .awaitReply(timeout: .zero)
            for reply in replies { last = client.receive(reply) }
            guard command(last) == .quit else { return nil }
            return outcome(client.receive(bye))?.1.stopReason
        }
        let no = SMTPReply(code: .mailboxUnavailable, "no")
        #expect(run([no]) == .rejected(.mail, no))
        #expect(run([ok, no]) == .rejected(.rcpt, no))
        #expect(run([ok, ok, no]) == .rejected(.data, no))
        #expect(run([ok, ok, SMTPReply(code: .startMailInput, "go"), no]) == .rejected(.message, no))
    }

    @Test func dotStuffing() {
        #expect(Client.dotStuffed([]) == ".\r\n".bytes)
        #expect(Client.dotStuffed(".\r\n..x\r\n".bytes) == "..\r\n...x\r\n.\r\n".bytes)
        #expect(Client.dotStuffed("a\r".bytes) == "a\r\n.\r\n".bytes)
        #expect(Client.dotStuffed("a\n".bytes) == "a\n.\r\n".bytes)
    }

    @Test func timeoutTable() {
        let t = Client.Timeouts(all: .seconds(9))
        for stage in [Client.Stage.greeting, .ehlo, .helo, .startTLS, .tlsHandshake, .ehloAfterTLS, .mail, .rcpt, .data, .message, .quit] {
            #expect(t.timeout(for: stage) == .seconds(9))
            #expect(!stage.description.isEmpty)
        }
        #expect(Client.Timeouts().timeout(for: .message) == .seconds(600))
    }
}

/// The stop reasons as reports print them: words, not Swift's enum cases.
@Suite struct SMTPStopReasonTextTests {
    @Test func stopReasonsReadAsWords() throws {
        typealias Reason = SMTPClientStateMachine.StopReason
        #expect("\(Reason.timeout(.greeting))" == "no greeting within its timeout")
        #expect("\(Reason.timeout(.ehlo))" == "no reply to EHLO within its timeout")
        #expect("\(Reason.connectionClosed(.startTLS))" == "the server closed the connection at STARTTLS")
        #expect("\(Reason.tlsRequiredNotOffered)" == "TLS is required and the server does not offer STARTTLS")
        #expect(!"\(Reason.timeout(.tlsHandshake))".contains("("))
    }
}
