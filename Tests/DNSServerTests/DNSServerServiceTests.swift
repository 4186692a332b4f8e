import PeerTestSupport
import DNSCore
import DNSServer
import DNSTransport
import Logging
import ServiceLifecycle
import Testing

/// The service on real sockets: 127.0.0.1, port 0, readiness from the bound address.
@Suite(.serialized) struct DNSServerServiceTests {
    static func answerer() throws -> AuthoritativeAnswerer {
        try TestZones.answerer(try PlainZone.zone(), try TruncationTests.bigZone(origin: "big.test."))
    }

    /// Runs the service under a ServiceGroup for `body`, then shuts it down gracefully.
    static func withServer(
        _ configuration: (Int) -> DNSServerService.Configuration = { _ in .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)]) },
        faults: FaultPlan = FaultPlan(),
        _ body: (DNSServerService, UInt16) async throws -> Void
    ) async throws {
        var answerer = try answerer()
        answerer.catalog.faults = faults
        let service = DNSServerService(responder: AuthoritativeResponder(answerer: answerer), configuration: configuration(0),
                                       logger: Logger(label: "test"))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let listeners = try await service.boundListeners()
            let udp = try #require(listeners.first { $0.transport == .udp })
            let tcp = try #require(listeners.first { $0.transport == .tcp })
            #expect(udp.port == tcp.port && udp.port != 0)
            do {
                try await body(service, UInt16(udp.port))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func query(_ qname: String, _ type: RRType, id: UInt16 = 0x4242, edns: Bool = true, dnssec: Bool = false) -> [UInt8] {
        var query = Message.query(id: id, name: name(qname), type: type, recursionDesired: false, dnssec: dnssec)
        if !edns { query.edns = nil }
        return query.wire
    }

    @Test func answersOverUDP() async throws {
        try await Self.withServer { _, port in
            let reply = try #require(try LoopbackSocket.exchangeUDP(Self.query("www.example.", .a), port: port, timeout: 5))
            let response = try Message(wire: reply)
            #expect(response.header.isAuthoritative)
            #expect(response.answers.first?.rdata.as(A.self)?.address.description == "192.0.2.80")
        }
    }

    /// A query longer than 128 bytes over UDP (a 60- and a 45-octet label, with EDNS) is read
    /// whole: it gets its answer (NXDOMAIN), not the FORMERR of a datagram cut short by the
    /// vector read's share of the receive buffer.
    @Test func longQueryOverUDPIsReadWhole() async throws {
        try await Self.withServer { _, port in
            let name = String(repeating: "a", count: 60) + "." + String(repeating: "b", count: 45) + ".example."
            let query = Self.query(name, .a)
            #expect(query.count > 128)
            let response = try Message(wire: try #require(try LoopbackSocket.exchangeUDP(query, port: port, timeout: 5)))
            #expect(response.header.rcode == .nxDomain)
            #expect(response.questions.first?.name == (try DomainName(parsing: name)))
        }
    }

    /// RFC 7766 §6.2.1: several pipelined queries on one connection.
    @Test func answersPipelinedQueriesOverTCP() async throws {
        try await Self.withServer { _, port in
            let connection = try LoopbackTCPConnection(port: port)
            try connection.send([Self.query("www.example.", .a, id: 1), Self.query("ns1.example.", .a, id: 2), Self.query("nope.example.", .a, id: 3)])
            var ids: [UInt16] = []
            for _ in 0..<3 {
                let reply = try #require(try connection.receive())
                ids.append(try Message(wire: reply).header.id)
            }
            #expect(ids == [1, 2, 3])
        }
    }

    /// TC over UDP, the whole answer over TCP (RFC 7766 §5).
    @Test func truncatedOverUDPWholeOverTCP() async throws {
        try await Self.withServer { _, port in
            let udp = try Message(wire: try #require(try LoopbackSocket.exchangeUDP(Self.query("big.big.test.", .txt, edns: false), port: port, timeout: 5)))
            #expect(udp.header.isTruncated)
            let connection = try LoopbackTCPConnection(port: port)
            try connection.send([Self.query("big.big.test.", .txt, edns: false)])
            let tcp = try Message(wire: try #require(try connection.receive()))
            #expect(!tcp.header.isTruncated)
            #expect(tcp.answers.count == 30)
        }
    }

    @Test func tcpConnectionLimit() async throws {
        try await Self.withServer({ _ in .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)], tcpConnectionLimit: 1) }) { service, port in
            let first = try LoopbackTCPConnection(port: port)
            try first.send([Self.query("www.example.", .a)])
            #expect(try first.receive() != nil)
            let second = try LoopbackTCPConnection(port: port)
            #expect(second.isClosedByPeer(), "over the limit: closed on accept")
            #expect(service.openTCPConnections == 1)
        }
    }

    @Test func idleTCPConnectionIsClosed() async throws {
        try await Self.withServer({ _ in .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)], tcpIdleTimeout: .milliseconds(200)) }) { _, port in
            let connection = try LoopbackTCPConnection(port: port, timeout: 10)
            #expect(connection.isClosedByPeer())
        }
    }

    @Test func gracefulShutdownClosesOpenConnections() async throws {
        var answerer = try Self.answerer()
        answerer.catalog.faults = FaultPlan()
        let service = DNSServerService(responder: AuthoritativeResponder(answerer: answerer),
                                       configuration: .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)]), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = UInt16(try await service.boundListeners()[0].port)
            let connection = try LoopbackTCPConnection(port: port, timeout: 10)
            try connection.send([Self.query("www.example.", .a)])
            #expect(try connection.receive() != nil)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(connection.isClosedByPeer())
            #expect(try LoopbackSocket.exchangeUDP(Self.query("www.example.", .a), port: port, timeout: 0.3) == nil)
        }
    }

    @Test func bindFailureIsReportedToTheReadinessWaiter() async throws {
        try await Self.withServer { _, port in
            let second = DNSServerService(responder: AuthoritativeResponder(answerer: try Self.answerer()),
                                          configuration: .init(listen: [ListenAddress(host: "127.0.0.1", port: Int(port))]),
                                          logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    await #expect(throws: (any Error).self) { try await second.run() }
                }
                await #expect(throws: (any Error).self) { try await second.boundListeners() }
                try await tasks.waitForAll()
            }
        }
    }

    @Test func delayFaultOverUDP() async throws {
        let plan = FaultPlan([(.query(name: name("www.example."), type: .a), [.delay(.milliseconds(300))])])
        try await Self.withServer(faults: plan) { _, port in
            let early = try LoopbackSocket.exchangeUDP(Self.query("www.example.", .a, id: 1), port: port, timeout: 0.1)
            #expect(early == nil, "not before 300 ms")
            let late = try LoopbackSocket.exchangeUDP(Self.query("www.example.", .a, id: 2), port: port, timeout: 5)
            #expect(late != nil)
        }
    }

    @Test(.enabled(if: ExternalTool.available("dig"), "dig (bind9-dnsutils) is not installed"))
    func digOverUDPAndTCP() async throws {
        try await Self.withServer { _, port in
            let dig = try ExternalTool.require("dig")
            for transport in ["+notcp", "+tcp"] {
                let out = try dig.check(["@127.0.0.1", "-p", String(port), transport, "+norec", "+time=5", "+tries=1", "www.example.", "A"]).stdoutText
                #expect(out.contains("status: NOERROR"), "\(out)")
                #expect(out.contains("flags: qr aa;"), "\(out)")
                #expect(out.contains("192.0.2.80"), "\(out)")
            }
            // dig retries over TCP on TC=1 by itself.
            let big = try dig.check(["@127.0.0.1", "-p", String(port), "+norec", "+noedns", "+time=5", "+tries=1", "big.big.test.", "TXT"]).stdoutText
            #expect(big.contains("ANSWER: 30"), "\(big)")
        }
    }
}

