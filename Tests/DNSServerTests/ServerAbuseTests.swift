import DNSCore
import DNSServer
import PeerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Our server under abuse (issue 10), bounded: thousands of malformed datagrams, TCP
/// connections that send half a length prefix or a frame cut short and hang, garbage frames;
/// afterwards (and meanwhile) well-formed queries are still answered, and the TCP limit and
/// idle timeout (`DNSServerService.Configuration`: 256 connections, 10 s by default) free the
/// slots the hanging clients took. Benchmarks/serve-flood.sh is the unbounded version.
@Suite(.serialized) struct ServerAbuseTests {
    /// The malformed datagrams: random bytes, headers cut short, a QNAME pointing at itself,
    /// a response (QR set), QDCOUNT 0 and 2, an unknown opcode, an OPT claiming 65,535 octets
    /// of payload with a 4 KiB option, a label longer than 63 octets, a name over 255 octets.
    static func malformed(seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        let good = DNSServerServiceTests.query("www.example.", .a)
        var list: [[UInt8]] = []
        list.append(bytes(1))
        list.append(bytes(11))
        list.append(bytes(512))
        list.append(bytes(1400))
        list.append(Array(good.prefix(7)))
        list.append(Array(good.prefix(good.count - 3)))
        list.append([0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1])
        var response = good
        response[2] |= 0x80
        list.append(response)
        var noQuestion = Array(good.prefix(12))
        noQuestion[5] = 0
        list.append(noQuestion)
        var twoQuestions = good
        twoQuestions[5] = 2
        list.append(twoQuestions)
        var unknownOpcode = good
        unknownOpcode[2] = (unknownOpcode[2] & 0x87) | (9 << 3)
        list.append(unknownOpcode)
        // An OPT RR (root owner, type 41, class = payload 65,535) with a 4,096-octet option.
        var hugeEDNS = Array(good.prefix(12))
        hugeEDNS[10] = 0
        hugeEDNS[11] = 1
        hugeEDNS += Array(name("www.example.").wire) + [0, 1, 0, 1]
        hugeEDNS += [0, 0, 41, 0xFF, 0xFF, 0, 0, 0x80, 0, 0x10, 0x04, 0xFF, 0x00, 0x10, 0x00] + bytes(4096)
        list.append(hugeEDNS)
        list.append(Array(good.prefix(12)) + [64] + bytes(64) + [0, 0, 1, 0, 1])
        list.append(Array(good.prefix(12)) + (0..<5).flatMap { _ in [63] + bytes(63) } + [0, 0, 1, 0, 1])
        return list
    }

    static func sendDatagrams(_ datagrams: [[UInt8]], port: UInt16) throws {
        let fd = try LoopbackSocket.open(.datagram)
        defer { _ = close(fd) }
        var address = LoopbackSocket.loopback(port: port)
        for datagram in datagrams {
            let sent = datagram.withUnsafeBytes { buffer in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            #expect(sent == datagram.count, "sendto: errno \(errno)")
        }
    }

    static func sendRaw(_ connection: LoopbackTCPConnection, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(connection.fd, $0.baseAddress, $0.count) }
    }

    /// A well-formed client's query answered, asked as a client does under loss (RFC 1035
    /// §4.2.1: retransmit): up to `attempts` tries of 2 s. The first try after a burst may be
    /// dropped by the kernel while the socket buffer is still full of the flood.
    func answersGoodQuery(port: UInt16, attempts: Int = 5) throws -> Bool {
        for attempt in 0..<attempts {
            let reply = try LoopbackSocket.exchangeUDP(DNSServerServiceTests.query("www.example.", .a, id: 0x7700 + UInt16(attempt)), port: port, timeout: 2)
            guard let reply, let message = try? Message(wire: reply) else { continue }
            return message.answers.first?.rdata.as(A.self)?.address.description == "192.0.2.80"
        }
        return false
    }

    /// 4 bursts of 200 rounds of the malformed set (14 datagrams; 11,200 in all): nothing
    /// crashes, and a good query is answered after each burst.
    @Test func malformedDatagramFlood() async throws {
        try await DNSServerServiceTests.withServer { _, port in
            for burst in 0..<4 {
                var datagrams: [[UInt8]] = []
                for round in 0..<200 { datagrams += Self.malformed(seed: UInt64(burst * 1000 + round)) }
                try Self.sendDatagrams(datagrams, port: port)
                #expect(try answersGoodQuery(port: port), "after burst \(burst)")
            }
        }
    }

    /// Each malformed datagram gets FORMERR or nothing (never a crash, never a reply to a
    /// response).
    @Test func malformedDatagramsGetFormErrOrNothing() async throws {
        try await DNSServerServiceTests.withServer { _, port in
            for (index, datagram) in Self.malformed(seed: 1).enumerated() {
                guard let reply = try LoopbackSocket.exchangeUDP(datagram, port: port, timeout: 0.3) else { continue }
                let message = try Message(wire: reply)
                #expect(message.header.isResponse, "datagram \(index)")
                #expect([RCode.formErr, .notImp, .refused, .noError, .nxDomain].contains(message.header.rcode), "datagram \(index): \(message.header.rcode)")
                #expect(datagram[2] & 0x80 == 0, "datagram \(index): a response was answered")
            }
            #expect(try answersGoodQuery(port: port))
        }
    }

    /// TCP: connections up to the limit that send half a length prefix, a prefix promising
    /// 65,535 octets then 100, or garbage frames, and hang. UDP is answered meanwhile; over the
    /// limit a ninth from the same client (whose share is all 8 here) is closed on accept; the
    /// idle timeout closes the hanging ones, and then a well-formed TCP query is answered.
    @Test func halfOpenTCPConnectionsAreBoundedAndReaped() async throws {
        let limit = 8
        try await DNSServerServiceTests.withServer({ _ in
            .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)], tcpConnectionLimit: limit, tcpIdleTimeout: .milliseconds(300))
        }) { service, port in
            var hanging: [LoopbackTCPConnection] = []
            for index in 0..<limit {
                let connection = try LoopbackTCPConnection(port: port, timeout: 5)
                switch index % 3 {
                case 0: Self.sendRaw(connection, [0x00])
                case 1: Self.sendRaw(connection, [0xFF, 0xFF] + [UInt8](repeating: 0x41, count: 100))
                default: Self.sendRaw(connection, [0x00, 0x05, 1, 2, 3, 4, 5, 0x00, 0x02, 0xC0])
                }
                hanging.append(connection)
            }
            #expect(try answersGoodQuery(port: port), "UDP answered while TCP is full")
            let extra = try LoopbackTCPConnection(port: port, timeout: 5)
            #expect(extra.isClosedByPeer(), "over the limit, from the client holding every slot: closed on accept")
            #expect(service.tcpRefusals == 1 && service.tcpEvictions == 0)
            for (index, connection) in hanging.enumerated() {
                #expect(connection.isClosedByPeer(), "hanging connection \(index) closed by the idle timeout")
            }
            let fresh = try LoopbackTCPConnection(port: port, timeout: 5)
            try fresh.send([DNSServerServiceTests.query("www.example.", .a, id: 0x5151)])
            let answer = try #require(try fresh.receive())
            #expect(try Message(wire: answer).header.id == 0x5151)
            #expect(service.openTCPConnections <= limit)
        }
    }

    /// One client cannot hold every TCP slot (`TCPConnectionTable`, RFC 7766 §6.2.3): with a
    /// limit of 8 and 4 per client and an idle timeout too long to help, 127.0.0.2 takes its 4
    /// with connections that ask one query, then send half a length prefix and hang — a fifth is closed on accept —
    /// and 127.0.0.3 the other 4. Each well-formed client from 127.0.0.1 then is admitted, the
    /// connection idle the longest (the oldest hanging one) closed to make room, and answered.
    @Test func oneClientCannotHoldEveryTCPSlot() async throws {
        try await DNSServerServiceTests.withServer({ _ in
            .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)], tcpConnectionLimit: 8, tcpConnectionsPerClient: 4,
                  tcpIdleTimeout: .seconds(600))
        }) { service, port in
            var hanging: [LoopbackTCPConnection] = []
            for source in ["127.0.0.2", "127.0.0.3"] {
                for _ in 0..<4 {
                    // One query answered (so it is admitted, in this order), then half a
                    // length prefix, and nothing more.
                    let connection = try LoopbackTCPConnection(port: port, timeout: 0.5, source: source)
                    try connection.send([DNSServerServiceTests.query("www.example.", .a, id: 0x6000 + UInt16(hanging.count))])
                    #expect(try connection.receive() != nil)
                    Self.sendRaw(connection, [0x00])
                    hanging.append(connection)
                }
            }
            let overShare = try LoopbackTCPConnection(port: port, timeout: 5, source: "127.0.0.2")
            #expect(overShare.isClosedByPeer(), "a fifth from 127.0.0.2: closed on accept")
            #expect(service.tcpRefusals == 1)

            var served: [LoopbackTCPConnection] = []  // kept open: each holds its slot
            for round in 0..<3 {
                let good = try LoopbackTCPConnection(port: port, timeout: 10)
                served.append(good)
                try good.send([DNSServerServiceTests.query("www.example.", .a, id: 0x6100 + UInt16(round))])
                let answer = try #require(try good.receive(), "good client \(round) answered")
                #expect(try Message(wire: answer).header.id == 0x6100 + UInt16(round))
                #expect(try await Self.eventually { hanging[round].isClosedByPeer() }, "the oldest hanging connection (\(round)) evicted")
                #expect(service.tcpEvictions == round + 1)
                #expect(service.openTCPConnections == 8)
            }
            for index in 3..<8 {
                #expect(!hanging[index].isClosedByPeer(), "hanging connection \(index) kept: it was not the idle one")
            }
        }
    }

    /// Polls `condition` — each poll blocks in a socket read for at most its timeout — until it
    /// holds, at most 200 times: a hang guard, no sleep.
    static func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try condition() { return true }
            await Task.yield()
        }
        return false
    }
}
