import PeerTestSupport
import DNSCore
import DNSServer
import DNSTransport
import Logging
import NIOCore
import NIOEmbedded
import Testing

/// A responder that echoes the query with QR set, or drops/delays by the first octet of the
/// ID (0xD0 = drop, 0xDE = delay 2 s).
struct EchoResponder: DNSResponder {
    func respond(to query: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
        guard query.count >= 12 else { return .drop }
        var reply = query
        reply[2] |= 0x80
        switch query[0] {
        case 0xD0: return .drop
        case 0xDE: return .replyAfter(.seconds(2), reply)
        default: return .reply(reply)
        }
    }
}

/// The UDP and TCP handlers on embedded channels: they carry out the responder's actions
/// and nothing else; the event loop's manual clock drives delays and idle timeouts.
@Suite struct DNSHandlerTests {
    static let logger = Logger(label: "test")
    static let peer = try! SocketAddress(ipAddress: "192.0.2.1", port: 5353)

    static func query(id: UInt16) -> [UInt8] {
        Message.query(id: id, name: name("www.example."), type: .a).wire
    }

    static func framed(_ bytes: [UInt8]) -> [UInt8] { [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes }

    @Test func udpRepliesToTheSender() throws {
        let channel = EmbeddedChannel(handler: DNSDatagramHandler(responder: EchoResponder(), logger: Self.logger))
        try channel.writeInbound(AddressedEnvelope(remoteAddress: Self.peer, data: channel.allocator.buffer(bytes: Self.query(id: 1))))
        let reply = try #require(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self))
        #expect(reply.remoteAddress == Self.peer)
        #expect(try Message(wire: Array(reply.data.readableBytesView)).header.isResponse)
        _ = try channel.finish()
    }

    @Test func udpDropAndDelay() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: DNSDatagramHandler(responder: EchoResponder(), logger: Self.logger), loop: loop)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: Self.peer, data: channel.allocator.buffer(bytes: Self.query(id: 0xD000))))
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: Self.peer, data: channel.allocator.buffer(bytes: Self.query(id: 0xDE00))))
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        loop.advanceTime(by: .milliseconds(1999))
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        loop.advanceTime(by: .milliseconds(1))
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) != nil)
        _ = try channel.finish()
    }

    static func tcpChannel(loop: EmbeddedEventLoop = EmbeddedEventLoop(), idle: TimeAmount? = nil) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
        try sync.addHandler(MessageToByteHandler(DNSTCPFrameEncoder()))
        try sync.addHandler(DNSStreamHandler(responder: EchoResponder(), idleTimeout: idle, logger: Self.logger))
        return channel
    }

    static func readFrames(_ channel: EmbeddedChannel) throws -> [[UInt8]] {
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += buffer.readableBytesView }
        var frames: [[UInt8]] = []
        var index = 0
        while index + 2 <= bytes.count {
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            frames.append(Array(bytes[(index + 2)..<(index + 2 + length)]))
            index += 2 + length
        }
        return frames
    }

    /// RFC 7766 §6.2.1: pipelined queries in one segment all get answers.
    @Test func tcpPipelinedQueriesAreAllAnswered() throws {
        let channel = try Self.tcpChannel()
        let stream = Self.framed(Self.query(id: 1)) + Self.framed(Self.query(id: 2)) + Self.framed(Self.query(id: 3))
        try channel.writeInbound(channel.allocator.buffer(bytes: stream))
        let ids = try Self.readFrames(channel).map { UInt16($0[0]) << 8 | UInt16($0[1]) }
        #expect(ids == [1, 2, 3])
        _ = try channel.finish()
    }

    @Test func tcpQueriesSplitAcrossSegments() throws {
        let channel = try Self.tcpChannel()
        let stream = Self.framed(Self.query(id: 7))
        for byte in stream { try channel.writeInbound(channel.allocator.buffer(bytes: [byte])) }
        #expect(try Self.readFrames(channel).count == 1)
        _ = try channel.finish()
    }

    /// RFC 7766 §6.2.1.1: a delayed answer may be overtaken by later ones.
    @Test func tcpDelayedAnswerIsOvertaken() throws {
        let loop = EmbeddedEventLoop()
        let channel = try Self.tcpChannel(loop: loop)
        try channel.writeInbound(channel.allocator.buffer(bytes: Self.framed(Self.query(id: 0xDE01)) + Self.framed(Self.query(id: 2))))
        #expect(try Self.readFrames(channel).map { $0[1] } == [2])
        loop.advanceTime(by: .seconds(2))
        #expect(try Self.readFrames(channel).map { $0[0] } == [0xDE])
        _ = try channel.finish()
    }

    /// RFC 7766 §6.2.3: an idle connection is closed by the server.
    @Test func tcpIdleConnectionIsClosed() throws {
        let loop = EmbeddedEventLoop()
        let channel = try Self.tcpChannel(loop: loop, idle: .seconds(10))
        try channel.connect(to: Self.peer).wait()
        loop.advanceTime(by: .seconds(9))
        try channel.writeInbound(channel.allocator.buffer(bytes: Self.framed(Self.query(id: 1))))
        loop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func tcpHalfCloseClosesAfterPendingAnswers() throws {
        let loop = EmbeddedEventLoop()
        let channel = try Self.tcpChannel(loop: loop)
        try channel.connect(to: Self.peer).wait()
        try channel.writeInbound(channel.allocator.buffer(bytes: Self.framed(Self.query(id: 0xDE05))))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(channel.isActive, "a delayed answer is still owed")
        loop.advanceTime(by: .seconds(2))
        #expect(try Self.readFrames(channel).count == 1)
        #expect(!channel.isActive)
    }

    @Test func stateMachineIdle() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var machine = DNSConnectionStateMachine(idleTimeout: .seconds(10), now: start)
        #expect(machine.started(now: start) == .scheduleIdleCheck(start + .seconds(10)))
        machine.queryReceived(now: start + .seconds(4))
        #expect(machine.idleCheck(now: start + .seconds(10)) == .scheduleIdleCheck(start + .seconds(14)))
        machine.answerDeferred()
        #expect(machine.idleCheck(now: start + .seconds(14)) == .scheduleIdleCheck(start + .seconds(14) + .milliseconds(1)),
                "an owed answer keeps the connection")
        #expect(machine.deferredAnswerWritten(now: start + .seconds(15)) == .none)
        #expect(machine.idleCheck(now: start + .seconds(25)) == .close)
        #expect(machine.idleCheck(now: start + .seconds(40)) == .none)
    }

    @Test func stateMachineHalfClose() {
        let now = NIODeadline.uptimeNanoseconds(0)
        var machine = DNSConnectionStateMachine(idleTimeout: nil, now: now)
        #expect(machine.started(now: now) == .none)
        machine.answerDeferred()
        #expect(machine.inputClosed() == .none)
        #expect(machine.deferredAnswerWritten(now: now) == .close)
        #expect(machine.inputClosed() == .none)
    }

    static func client(_ host: String, port: Int = 40000) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        channel.remoteAddress = try SocketAddress(ipAddress: host, port: port)
        return channel
    }

    /// `TCPConnectionTable`, each rule: below the limit admitted; a client at its share
    /// refused (IPv4 per address, IPv6 per /64); at the limit the connection idle the longest
    /// evicted and closed (a busy one, owed an answer, never); all busy refused; release after
    /// an eviction changes nothing.
    @Test func tcpConnectionTableRules() throws {
        let table = TCPConnectionTable(limit: 4, perClientLimit: 2)
        let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
        func admit(_ channel: EmbeddedChannel, at offset: Int64) -> TCPConnectionTable.Admission {
            table.admit(channel, now: t0 + .milliseconds(offset))
        }
        func slot(_ admission: TCPConnectionTable.Admission) -> TCPConnectionSlot? {
            if case .admitted(let slot, _) = admission { return slot }
            return nil
        }
        let a1 = try Self.client("192.0.2.1"), a2 = try Self.client("192.0.2.1", port: 40001), a3 = try Self.client("192.0.2.1", port: 40002)
        let first = try #require(slot(admit(a1, at: 0)))
        let second = try #require(slot(admit(a2, at: 1)))
        guard case .refusedClientLimit = admit(a3, at: 2) else { Issue.record("a third from 192.0.2.1 admitted"); return }
        #expect(first.client == second.client && first.client.description == "192.0.2.1")

        // IPv6: two addresses in one /64 are one client; another /64 is another.
        let v6a = try Self.client("2001:db8:1:2::1"), v6b = try Self.client("2001:db8:1:2::ffff"), v6c = try Self.client("2001:db8:1:3::1")
        let v6first = try #require(slot(admit(v6a, at: 3)))
        #expect(v6first.client.description == "2001:db8:1:2::/64")
        let v6second = try #require(slot(admit(v6b, at: 4)))
        #expect(table.openConnections == 4)

        // Full. `first` answers a query at 10 ms, `second` is owed an answer: the one idle the
        // longest is now v6first (since 3 ms), and it is closed to make room.
        first.touched(now: t0 + .milliseconds(10))
        second.answerOwed()
        let fifth = admit(v6c, at: 20)
        guard case .admitted(_, let evicted?) = fifth else { Issue.record("no eviction: \(fifth)"); return }
        #expect(evicted === v6first)
        #expect(!v6a.isActive, "the evicted connection is closed")
        #expect(table.openConnections == 4 && table.evictions == 1)
        table.release(v6first)
        #expect(table.openConnections == 4, "releasing an evicted slot again changes nothing")

        // The /64 got its slot back; v6b (since 4 ms) is the next one idle the longest.
        let v6d = try Self.client("2001:db8:1:2::2")
        guard case .admitted(_, let evictedNext?) = admit(v6d, at: 30) else { Issue.record("no second eviction"); return }
        #expect(evictedNext === v6second)

        // Everyone busy: refused, nobody evicted.
        let busyTable = TCPConnectionTable(limit: 2, perClientLimit: 2)
        for port in [1, 2] {
            let busy = try #require(slot(busyTable.admit(try Self.client("198.51.100.\(port)"), now: t0)))
            busy.answerOwed()
        }
        guard case .refusedAllBusy = busyTable.admit(try Self.client("198.51.100.9"), now: t0 + .seconds(60)) else {
            Issue.record("a busy connection was evicted"); return
        }
        #expect(busyTable.refusals == 1 && busyTable.evictions == 0)

        // An answer written makes a connection idle (from then) and evictable again.
        table.release(first)
        #expect(table.openConnections == 3)
        second.answerWritten(now: t0 + .milliseconds(40))
        #expect(table.perClientLimit == 2 && table.limit == 4)
    }
}
