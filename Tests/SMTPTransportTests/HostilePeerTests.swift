import NIOCore
import NIOEmbedded
import SMTPCore
import Testing
@testable import SMTPTransport

/// The client against scripted hostile servers: each ends in a clear outcome, within the
/// stage's timeout on the embedded loop's clock (no sleeps).
@Suite struct HostilePeerTests {
    func pair(tls: SMTPClientStateMachine.TLSPolicy = .ifOffered, limits: SMTPReplyParser.Limits = .init()) throws -> InMemoryPair {
        let pair = try InMemoryPair(session: .init(clientName: "probe.test", tls: tls, timeouts: shortTimeouts()), limits: limits)
        try pair.connect()
        return pair
    }

    @Test func stallingServerTimesOutAtGreeting() throws {
        let p = try pair()
        p.loop.advanceTime(by: .seconds(4))
        #expect(p.result == nil)
        p.loop.advanceTime(by: .seconds(2))
        #expect(p.result?.outcome.stopReason == .timeout(.greeting))
        #expect(!p.client.isActive)
    }

    @Test func stallAfterEHLO() throws {
        let p = try pair()
        try p.serverSays("220 mx ESMTP\r\n")
        #expect(try p.clientSent() == "EHLO probe.test\r\n")
        p.loop.advanceTime(by: .seconds(6))
        #expect(p.result?.outcome.stopReason == .timeout(.ehlo))
    }

    @Test func endlessLine() throws {
        let p = try pair(limits: .init(maxLineLength: 1000, maxLines: 100))
        for _ in 0..<20 where p.result == nil {
            try p.serverSays(String(repeating: "2", count: 512))
        }
        guard case .protocolError(.greeting, let error) = p.result?.outcome.stopReason else { Issue.record("\(String(describing: p.result))"); return }
        #expect(error.code == .lineTooLong)
    }

    @Test func endlessMultiLineReply() throws {
        let p = try pair(limits: .init(maxLineLength: 1000, maxLines: 100))
        try p.serverSays("220 mx\r\n")
        for _ in 0..<200 where p.result == nil { try p.serverSays("250-X-PADDING\r\n") }
        guard case .protocolError(.ehlo, let error) = p.result?.outcome.stopReason else { Issue.record("\(String(describing: p.result))"); return }
        #expect(error.code == .tooManyLines)
    }

    /// One byte per 100 ms of an endless greeting line: the bytes keep coming, but the
    /// greeting stage's timeout is a deadline from the stage's start (the handler re-arms it
    /// only on a complete reply), so the session ends after 5 s — 50 bytes — not never.
    @Test func oneByteAtATimeGreetingEndsAtTheStageDeadline() throws {
        let p = try pair()
        var sent = 0
        for byte in ("220 " + String(repeating: "x", count: 400) + "\r\n").utf8 where p.result == nil {
            try p.serverSays(String(decoding: [byte], as: UTF8.self))
            sent += 1
            p.loop.advanceTime(by: .milliseconds(100))
        }
        #expect(p.result?.outcome.stopReason == .timeout(.greeting))
        #expect(sent == 50)
        #expect(!p.client.isActive)
    }

    /// Complete continuation lines of a multi-line EHLO reply, one a second, never the last
    /// line: each line is well-formed and under the limits, and still the EHLO stage ends at
    /// its deadline.
    @Test func trickledMultiLineReplyEndsAtTheStageDeadline() throws {
        let p = try pair()
        try p.serverSays("220 mx\r\n")
        #expect(try p.clientSent() == "EHLO probe.test\r\n")
        var lines = 0
        while p.result == nil, lines < 100 {
            try p.serverSays("250-X-SLOW-\(lines)\r\n")
            lines += 1
            p.loop.advanceTime(by: .seconds(1))
        }
        #expect(p.result?.outcome.stopReason == .timeout(.ehlo))
        #expect(lines == 5)
    }

    /// A byte at a time during the TLS handshake (garbage that never completes a TLS record):
    /// the handshake deadline ends it.
    @Test func trickledHandshakeEndsAtTheHandshakeDeadline() throws {
        let p = try pair()
        try p.serverSays("220 mx\r\n250-mx\r\n250 STARTTLS\r\n")
        try p.serverSays("220 go ahead\r\n")
        _ = try p.clientSent()  // the ClientHello
        // A TLS handshake record header announcing 16 KiB, then its body a byte at a time.
        try p.serverSays(String(decoding: [0x16, 0x03, 0x03, 0x40, 0x00], as: UTF8.self))
        var sent = 0
        while p.result == nil, sent < 1000 {
            try p.serverSays("A")
            sent += 1
            p.loop.advanceTime(by: .milliseconds(250))
        }
        #expect(p.result?.outcome.stopReason == .timeout(.tlsHandshake))
        #expect(sent == 20)
    }

    @Test func garbageInsteadOfGreeting() throws {
        let p = try pair()
        try p.serverSays("HTTP/1.1 400 Bad Request\r\n")
        guard case .protocolError(.greeting, let error) = p.result?.outcome.stopReason else { Issue.record("\(String(describing: p.result))"); return }
        #expect(error.code == .invalidCode)
    }

    @Test func startTLSRefused454WhenRequired() throws {
        let p = try pair(tls: .required)
        try p.serverSays("220 mx\r\n")
        try p.serverSays("250-mx\r\n250 STARTTLS\r\n")
        #expect(try p.clientSent().hasSuffix("STARTTLS\r\n"))
        try p.serverSays("454 4.7.0 TLS not available due to temporary reason\r\n")
        #expect(try p.clientSent() == "QUIT\r\n")
        try p.serverSays("221 bye\r\n")
        let result = try #require(p.result)
        #expect(result.outcome.startTLS == .refused(SMTPReply(code: .tlsNotAvailable, "4.7.0 TLS not available due to temporary reason")))
        #expect(result.outcome.stopReason == .tlsRequiredRefused(SMTPReply(code: .tlsNotAvailable, "4.7.0 TLS not available due to temporary reason")))
        #expect(result.tls == nil)
    }

    @Test func garbageInsteadOfTLSHandshake() throws {
        let p = try pair()
        try p.serverSays("220 mx\r\n")
        try p.serverSays("250-mx\r\n250 STARTTLS\r\n")
        try p.serverSays("220 go ahead\r\n")
        _ = try p.clientSent()  // the ClientHello
        try p.serverSays("this is not TLS at all\r\n")
        let result = try #require(p.result)
        guard case .tlsFailed = result.outcome.stopReason else { Issue.record("\(result.outcome.stopReason)"); return }
        #expect(result.transportError != nil)
    }

    @Test func handshakeStalls() throws {
        let p = try pair()
        try p.serverSays("220 mx\r\n250-mx\r\n250 STARTTLS\r\n")
        try p.serverSays("220 go ahead\r\n")
        p.loop.advanceTime(by: .seconds(6))
        #expect(p.result?.outcome.stopReason == .timeout(.tlsHandshake))
    }

    /// NIOSSL refuses an IP address as SNI (RFC 6066 §3 allows host names only): the session
    /// ends with a TLS failure, not a crash.
    @Test func ipAddressAsSNI() throws {
        let p = try InMemoryPair(session: .init(clientName: "probe.test", timeouts: shortTimeouts()), sni: "192.0.2.1")
        try p.connect()
        try p.serverSays("220 mx\r\n250-mx\r\n250 STARTTLS\r\n")
        try p.serverSays("220 go ahead\r\n")
        guard case .tlsFailed = p.result?.outcome.stopReason else { Issue.record("\(String(describing: p.result))"); return }
    }

    @Test func serverClosesMidSession() throws {
        let p = try pair()
        try p.serverSays("220 mx\r\n")
        p.client.pipeline.fireChannelInactive()
        #expect(p.result?.outcome.stopReason == .connectionClosed(.ehlo))
    }

    @Test func quitUnansweredStillCompletes() throws {
        let p = try pair(tls: .never)
        try p.serverSays("220 mx\r\n250 mx\r\n")
        #expect(try p.clientSent().hasSuffix("QUIT\r\n"))
        p.loop.advanceTime(by: .seconds(6))
        #expect(p.result?.outcome.stopReason == .completed)
    }
}
