import NIOCore
import NIOEmbedded
import NIOSSL
import SMTPCore
import Testing
@testable import SMTPTransport

/// RFC 3207 §4–§5 on embedded channels: our client against our server, TLS back to back in
/// memory, the peer chain captured, plaintext after the 220 discarded.
@Suite struct RFC3207_STARTTLSInMemoryTests {
    @Test func probeUpgradesAndCapturesChain() throws {
        let store = SMTPMessageStore()
        let pair = try InMemoryPair(session: .init(clientName: "probe.test", tls: .ifOffered, timeouts: shortTimeouts()), serverHandler: try serverHandler(store: store))
        try pair.connect()
        try pair.interact()
        let result = try #require(pair.result)
        #expect(result.outcome.stopReason == .completed)
        #expect(result.outcome.startTLS == .established)
        #expect(result.outcome.capabilitiesBeforeTLS?.startTLS == true)
        #expect(result.outcome.capabilitiesAfterTLS?.startTLS == false)
        #expect(result.outcome.discardedAfterStartTLS == 0)
        let tls = try #require(result.tls)
        #expect(tls.peerChain == TestCertificates.chainDER)
        #expect(tls.version == "TLSv1.3")
        #expect(tls.cipherName?.hasPrefix("TLS_") == true)
        #expect(result.sniSent == "mx.example.test")
        #expect(result.outcome.exchanges.map(\.stage) == [.greeting, .ehlo, .startTLS, .ehloAfterTLS, .quit])
    }

    @Test func deliveryOverTLSRecordsServerFacts() throws {
        let store = SMTPMessageStore()
        let delivery = SMTPClientStateMachine.Delivery(reversePath: "a@probe.test", recipients: ["b@mx.example.test"], message: "Subject: x\r\n\r\n.hi\r\n".bytes)
        let pair = try InMemoryPair(session: .init(clientName: "probe.test", tls: .required, delivery: delivery, timeouts: shortTimeouts()), serverHandler: try serverHandler(store: store))
        try pair.connect()
        try pair.interact()
        let result = try #require(pair.result)
        #expect(result.outcome.delivered)
        let stored = try #require(store.messages.first)
        #expect(store.messages.count == 1)
        #expect(stored.message.data == "Subject: x\r\n\r\n.hi\r\n".bytes)
        #expect(stored.message.overTLS && stored.message.heloName == "probe.test")
        #expect(stored.tls?.serverName == "mx.example.test")
        #expect(stored.tls?.version == "TLSv1.3")
        #expect(stored.tls?.cipherSuite == result.tls?.cipherSuite)
        #expect(stored.tls?.peerChain == [])
    }

    /// A server that asks for (but does not require) a client certificate records the chain
    /// the client sent.
    @Test func clientChainRecordedByServer() throws {
        let store = SMTPMessageStore()
        var serverTLS = TestCertificates.serverTLS
        serverTLS.certificateVerification = .optionalVerification
        var clientTLS = TLSConfiguration.makeClientConfiguration()
        clientTLS.certificateChain = [.certificate(TestCertificates.leaf), .certificate(TestCertificates.ca)]
        clientTLS.privateKey = .privateKey(TestCertificates.leafKey)
        let delivery = SMTPClientStateMachine.Delivery(reversePath: "", recipients: ["b@mx.example.test"], message: "x\r\n".bytes)
        let pair = try InMemoryPair(session: .init(clientName: "probe.test", delivery: delivery, timeouts: shortTimeouts()), clientTLS: clientTLS, serverHandler: try serverHandler(store: store, serverTLS: serverTLS))
        try pair.connect()
        try pair.interact()
        #expect(pair.result?.outcome.delivered == true)
        #expect(store.messages.first?.tls?.peerChain == TestCertificates.chainDER)
    }

    /// TLS 1.2 only: the version and an ECDHE suite are reported on both sides.
    @Test func tls12Facts() throws {
        let store = SMTPMessageStore()
        var clientTLS = TLSConfiguration.makeClientConfiguration()
        clientTLS.maximumTLSVersion = .tlsv12
        let delivery = SMTPClientStateMachine.Delivery(reversePath: "", recipients: ["b@mx.example.test"], message: "x\r\n".bytes)
        let pair = try InMemoryPair(session: .init(clientName: "probe.test", delivery: delivery, timeouts: shortTimeouts()), clientTLS: clientTLS, serverHandler: try serverHandler(store: store))
        try pair.connect()
        try pair.interact()
        let tls = try #require(pair.result?.tls)
        #expect(tls.version == "TLSv1.2")
        #expect(tls.cipherName?.hasPrefix("ECDHE-ECDSA-") == true)
        #expect(store.messages.first?.tls?.version == "TLSv1.2")
        #expect(store.messages.first?.tls?.cipherSuite == tls.cipherSuite)
        #expect(tls.peerChain == TestCertificates.chainDER)
    }

    @Test func noSNIWhenNotAsked() throws {
        let store = SMTPMessageStore()
        let delivery = SMTPClientStateMachine.Delivery(reversePath: "", recipients: ["b@mx.example.test"], message: "x\r\n".bytes)
        let pair = try InMemoryPair(session: .init(clientName: "probe.test", delivery: delivery, timeouts: shortTimeouts()), sni: nil, serverHandler: try serverHandler(store: store))
        try pair.connect()
        try pair.interact()
        #expect(pair.result?.outcome.startTLS == .established)
        #expect(pair.result?.sniSent == nil)
        #expect(store.messages.first?.tls?.serverName == nil)
    }

    /// A server (or a man in the middle) that sends plaintext after "220 ready for TLS": the
    /// client must not read it as if it came over TLS (RFC 3207 §5).
    @Test func plaintextInjectedAfter220IsDiscarded() throws {
        let store = SMTPMessageStore()
        let pair = try InMemoryPair(session: .init(clientName: "probe.test", tls: .required, timeouts: shortTimeouts()), serverHandler: try serverHandler(store: store))
        try pair.connect()
        let injected = "220 2.0.0 Ready\r\n250-mx.example.test\r\n250 AUTH PLAIN\r\n"
        try pair.interact { data in
            let text = String(buffer: data)
            guard text.hasPrefix("220 2.0.0 Ready") else { return data }
            return ByteBufferAllocator().buffer(string: injected)
        }
        let result = try #require(pair.result)
        #expect(result.outcome.discardedAfterStartTLS == injected.utf8.count - "220 2.0.0 Ready\r\n".utf8.count)
        #expect(result.outcome.startTLS == .established)
        // The capabilities after TLS are the real server's, not the injected ones.
        #expect(result.outcome.capabilitiesAfterTLS?.unknown.isEmpty == true)
        #expect(result.outcome.stopReason == .completed)
    }

    /// The server side of the same lesson: commands pipelined after STARTTLS are dropped.
    @Test func serverDiscardsCommandsPipelinedAfterSTARTTLS() throws {
        let store = SMTPMessageStore()
        let handler = try serverHandler(store: store)
        let channel = EmbeddedChannel(handler: handler)
        _ = channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 25))
        _ = try channel.readOutbound(as: ByteBuffer.self)  // greeting
        try channel.writeInbound(channel.allocator.buffer(string: "EHLO c\r\nSTARTTLS\r\nMAIL FROM:<evil@x>\r\n"))
        var replies = ""
        while let data = try channel.readOutbound(as: ByteBuffer.self) { replies += String(buffer: data) }
        #expect(replies.hasSuffix("220 2.0.0 Ready to start TLS\r\n"))
        #expect(!replies.contains("2.1.0"))
        #expect(handler.discardedAfterStartTLS == "MAIL FROM:<evil@x>\r\n".utf8.count)
        #expect(throws: Never.self) { _ = try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) }
        _ = try? channel.finish()
    }

    @Test func serverLineLimitAndIdleTimeout() throws {
        let store = SMTPMessageStore()
        let channel = EmbeddedChannel(handler: try serverHandler(store: store, tls: false, idle: .seconds(10), maxLine: 600))
        _ = channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 25))
        _ = try channel.readOutbound(as: ByteBuffer.self)
        try channel.writeInbound(channel.allocator.buffer(string: String(repeating: "A", count: 5000)))
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } == "500 5.5.2 Error: line too long\r\n")
        try channel.writeInbound(channel.allocator.buffer(string: "AAAA\r\nNOOP\r\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } == "250 2.0.0 Ok\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(11))
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) }?.hasPrefix("421 4.4.2") == true)
        #expect(!channel.isActive)
    }
}
