import DNSCore
import DNSTransport
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

/// A responder whose answers come later (`.replyLater`), completed by the test: the handlers
/// write them when the work ends, on their event loop, and a half-closed TCP connection stays
/// open until the answer it owes is written.
final class LaterResponder: DNSResponder, Sendable {
    let pending = Mutex<[DNSDeferredReply.Completion]>([])

    func respond(to query: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
        var echo = query
        echo[2] |= 0x80
        let reply = echo
        return .replyLater(DNSDeferredReply { [self] completion in
            self.pending.withLock { $0.append { _ in completion(reply) } }
        })
    }

    /// Finishes the oldest pending query (the completion ignores its argument: it sends the echo).
    func finishOne() -> Bool {
        guard let next = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return false }
        next(nil)
        return true
    }
}

@Suite struct DeferredReplyTests {
    static let logger = Logger(label: "test")
    static let peer = try! SocketAddress(ipAddress: "192.0.2.1", port: 5353)
    static let query = Message.query(id: 7, name: try! DomainName(parsing: "www.example."), type: .a).wire

    @Test func udpWritesTheAnswerWhenTheWorkEnds() throws {
        let loop = EmbeddedEventLoop()
        let responder = LaterResponder()
        let channel = EmbeddedChannel(handler: DNSDatagramHandler(responder: responder, logger: Self.logger), loop: loop)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: Self.peer, data: channel.allocator.buffer(bytes: Self.query)))
        loop.run()
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        #expect(responder.finishOne())
        loop.run()
        let reply = try #require(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self))
        #expect(reply.remoteAddress == Self.peer)
        #expect(try Message(wire: Array(reply.data.readableBytesView)).header.id == 7)
        _ = try channel.finish()
    }

    @Test func tcpHalfCloseWaitsForTheDeferredAnswer() throws {
        let loop = EmbeddedEventLoop()
        let responder = LaterResponder()
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(DNSTCPFrameEncoder()))
        try channel.pipeline.syncOperations.addHandler(DNSStreamHandler(responder: responder, logger: Self.logger))
        try channel.connect(to: Self.peer).wait()
        let framed = [UInt8(Self.query.count >> 8), UInt8(Self.query.count & 0xFF)] + Self.query
        try channel.writeInbound(channel.allocator.buffer(bytes: framed))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        loop.run()
        #expect(channel.isActive)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(responder.finishOne())
        loop.run()
        let reply = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(reply.readableBytesView.dropFirst(2)).count == Self.query.count)
        #expect(!channel.isActive)
    }
}
