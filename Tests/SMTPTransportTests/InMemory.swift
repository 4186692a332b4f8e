import NIOCore
import NIOEmbedded
import NIOSSL
import SMTPCore
@testable import SMTPTransport

/// A client and a server channel on one embedded loop, bytes moved between them by hand (the
/// pattern of swift-nio-ssl's NIOSSLTestHelpers `interactInMemory`). The loop's clock is the
/// injected clock: `loop.advanceTime` fires the stage timeouts.
final class InMemoryPair {
    let loop = EmbeddedEventLoop()
    let client: EmbeddedChannel
    let server: EmbeddedChannel
    private(set) var result: SMTPSessionResult?

    init(session: SMTPClientStateMachine.Configuration, sni: String? = "mx.example.test", limits: SMTPReplyParser.Limits = .init(), clientTLS: TLSConfiguration = .makeClientConfiguration(), serverHandler: (any ChannelHandler)? = nil) throws {
        client = EmbeddedChannel(loop: loop)
        server = EmbeddedChannel(loop: loop)
        var tls = clientTLS
        tls.certificateVerification = .noHostnameVerification
        let promise = loop.makePromise(of: SMTPSessionResult.self)
        let handler = SMTPClientHandler(configuration: session, limits: limits, tlsContext: try NIOSSLContext(configuration: tls), sniHostname: sni, address: "embedded", resultPromise: promise)
        try client.pipeline.syncOperations.addHandler(handler)
        if let serverHandler { try server.pipeline.syncOperations.addHandler(serverHandler) }
        promise.futureResult.assumeIsolated().whenSuccess { [self] in result = $0 }
    }

    func connect() throws {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 25)
        _ = client.connect(to: address)
        _ = server.connect(to: address)
    }

    /// Moves bytes both ways until neither side has anything to send. `intercept` may replace
    /// what the server sends (nil drops it).
    func interact(intercept: ((ByteBuffer) -> ByteBuffer?)? = nil) throws {
        var work = true
        while work {
            work = false
            loop.run()
            if let data = try client.readOutbound(as: ByteBuffer.self) {
                try server.writeInbound(data)
                work = true
            }
            if let data = try server.readOutbound(as: ByteBuffer.self) {
                if let forwarded = intercept.map({ $0(data) }) ?? data { try client.writeInbound(forwarded) }
                work = true
            }
        }
    }

    /// Reads what the client wrote, as text.
    func clientSent() throws -> String {
        var text = ""
        while let data = try client.readOutbound(as: ByteBuffer.self) { text += String(buffer: data) }
        return text
    }

    func serverSays(_ text: String) throws {
        try client.writeInbound(client.allocator.buffer(string: text))
        loop.run()
    }
}

func serverHandler(store: SMTPMessageStore, tls: Bool = true, refusal: SMTPReply? = nil, idle: Duration = .seconds(30), maxLine: Int = 1000, serverTLS: TLSConfiguration = TestCertificates.serverTLS) throws -> SMTPServerHandler {
    SMTPServerHandler(
        configuration: .init(hostname: "mx.example.test", startTLSAvailable: tls, startTLSRefusal: refusal),
        maxLineLength: maxLine, tlsContext: tls ? try NIOSSLContext(configuration: serverTLS) : nil,
        store: store, idleTimeout: idle
    )
}

func shortTimeouts() -> SMTPClientStateMachine.Timeouts { .init(all: .seconds(5)) }

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
