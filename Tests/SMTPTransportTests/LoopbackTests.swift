import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PeerTestSupport
import SMTPCore
import Synchronization
import Testing
@testable import SMTPTransport

/// Our client against our server over real sockets on 127.0.0.1, port 0, STARTTLS.
@Suite struct LoopbackTests {
    func withServer<T: Sendable>(
        tls: Bool = true, maxConnections: Int = 8,
        _ body: @Sendable (SMTPServerService, SocketAddress) async throws -> T
    ) async throws -> T {
        let service = SMTPServerService(configuration: .init(
            addresses: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)],
            session: .init(hostname: "mx.example.test", startTLSAvailable: tls),
            tlsConfiguration: tls ? TestCertificates.serverTLS : nil,
            maxConnections: maxConnections, idleTimeout: .seconds(10)
        ))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            let address = try #require(try await service.boundAddresses.first)
            #expect(address.port != 0)
            return try await body(service, address)
        }
    }

    func probe(_ delivery: SMTPClientStateMachine.Delivery? = nil, tls: SMTPClientStateMachine.TLSPolicy = .ifOffered) -> SMTPProbe.Configuration {
        SMTPProbe.Configuration(
            session: .init(clientName: "probe.test", tls: tls, delivery: delivery, timeouts: .init(all: .seconds(10))),
            sniHostname: "mx.example.test", connectTimeout: .seconds(5)
        )
    }

    @Test func probeWithSTARTTLS() async throws {
        try await withServer { _, address in
            let result = try await SMTPProbe.run(to: address, configuration: probe())
            #expect(result.connectError == nil)
            #expect(result.outcome.stopReason == .completed)
            #expect(result.outcome.startTLS == .established)
            #expect(result.tls?.peerChain == TestCertificates.chainDER)
            #expect(result.tls?.version == "TLSv1.3")
            #expect(result.address.hasPrefix("127.0.0.1:"))
        }
    }

    /// `tlsEstablished` is called once, as the handshake completes and before the session's
    /// last commands, with the facts the result then carries; a session without TLS never
    /// calls it.
    @Test func tlsFactsAreReportedWhenTheHandshakeCompletes() async throws {
        let seen = Mutex<[SMTPTLSFacts]>([])
        try await withServer { _, address in
            let result = try await SMTPProbe.run(to: address, configuration: probe(tls: .required)) { facts in
                seen.withLock { $0.append(facts) }
            }
            #expect(result.outcome.startTLS == .established)
            #expect(seen.withLock { $0 } == [try #require(result.tls)])
            #expect(seen.withLock { $0 }.first?.peerChain == TestCertificates.chainDER)
        }
        try await withServer(tls: false) { _, address in
            let result = try await SMTPProbe.run(to: address, configuration: probe()) { _ in
                Issue.record("no TLS was established")
            }
            #expect(result.outcome.startTLS == .notOffered)
        }
    }

    /// One `SharedClientTLSContext` serves several sessions: the same context each time, and
    /// each session still its own handshake, SNI and recorded chain.
    @Test func sessionsShareOneClientContext() async throws {
        let shared = SharedClientTLSContext()
        let first = try await shared.context()
        #expect(try await shared.context() === first)
        try await withServer { service, address in
            for _ in 0..<3 {
                let result = try await SMTPProbe.run(to: address, configuration: probe(tls: .required), sharedContext: shared)
                #expect(result.outcome.startTLS == .established)
                #expect(result.tls?.peerChain == TestCertificates.chainDER)
                #expect(result.sniSent == "mx.example.test")
            }
        }
    }

    @Test func deliveryStoredWithTLSFacts() async throws {
        try await withServer { service, address in
            let delivery = SMTPClientStateMachine.Delivery(reversePath: "a@probe.test", recipients: ["postmaster@mx.example.test"], message: "Subject: lab\r\n\r\nbody\r\n".bytes)
            let result = try await SMTPProbe.run(to: address, configuration: probe(delivery, tls: .required))
            #expect(result.outcome.delivered)
            let stored = try #require(service.store.messages.first)
            #expect(stored.message.recipients == ["postmaster@mx.example.test"])
            #expect(stored.tls?.serverName == "mx.example.test")
            #expect(stored.tls?.cipherName != nil)
            #expect(stored.peer.hasPrefix("127.0.0.1:"))
        }
    }

    @Test func plaintextServerWithRequiredTLS() async throws {
        try await withServer(tls: false) { service, address in
            let result = try await SMTPProbe.run(to: address, configuration: probe(tls: .required))
            #expect(result.outcome.startTLS == .refused(SMTPReply(code: .notImplemented, "5.5.1 Error: command not implemented")))
            guard case .tlsRequiredRefused = result.outcome.stopReason else { Issue.record("\(result.outcome.stopReason)"); return }
        }
    }

    @Test func connectionLimit() async throws {
        try await withServer(maxConnections: 0) { _, address in
            let result = try await SMTPProbe.run(to: address, configuration: probe())
            guard case .serviceClosing(.greeting, let reply) = result.outcome.stopReason else { Issue.record("\(result.outcome.stopReason)"); return }
            #expect(reply.code == .serviceNotAvailable)
        }
    }

    /// Graceful shutdown or cancellation ends the sessions still open, not just the listeners.
    @Test func shutdownClosesOpenSessions() async throws {
        let service = SMTPServerService(configuration: .init(
            addresses: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)],
            session: .init(hostname: "mx.example.test", startTLSAvailable: false),
            tlsConfiguration: nil, idleTimeout: .seconds(600)
        ))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            let address = try #require(try await service.boundAddresses.first)
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let greeted = loop.makePromise(of: Void.self)
            let channel = try await ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(FirstReadHandler(greeted)) }
                }
                .connect(to: address).get()
            try await greeted.futureResult.get()  // the session is open on the server
            group.cancelAll()
            try await group.waitForAll()
            // run() returned after closing the session; the close reaches us right after.
            let closed = loop.makePromise(of: Bool.self)
            let timer = loop.scheduleTask(in: .seconds(5)) { closed.succeed(false) }
            channel.closeFuture.whenComplete { _ in timer.cancel(); closed.succeed(true) }
            #expect(try await closed.futureResult.get())
        }
    }

    @Test func listensOnEveryAddress() async throws {
        let service = SMTPServerService(configuration: .init(
            addresses: [try SocketAddress(ipAddress: "127.0.0.1", port: 0), try SocketAddress(ipAddress: "127.0.0.1", port: 0)],
            session: .init(hostname: "mx.example.test", startTLSAvailable: true),
            tlsConfiguration: TestCertificates.serverTLS
        ))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            let addresses = try await service.boundAddresses
            #expect(addresses.count == 2 && addresses[0].port != addresses[1].port)
            for address in addresses {
                let result = try await SMTPProbe.run(to: address, configuration: probe())
                #expect(result.outcome.startTLS == .established)
            }
        }
    }

    @Test func connectionRefused() async throws {
        let port = try LoopbackSocket.freePort()
        let result = try await SMTPProbe.run(to: try SocketAddress(ipAddress: "127.0.0.1", port: Int(port)), configuration: probe())
        #expect(result.connectError != nil)
        #expect(result.outcome.exchanges.isEmpty)
    }
}

/// Fulfils a promise on the first read.
final class FirstReadHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<Void>

    init(_ promise: EventLoopPromise<Void>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { promise.succeed() }
}
