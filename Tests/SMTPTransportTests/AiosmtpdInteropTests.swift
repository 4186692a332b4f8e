import Foundation
import NIOCore
import PeerTestSupport
import SMTPCore
import Testing
@testable import SMTPTransport

/// Our client against Debian's `python3-aiosmtpd` (INTEROP.md, "Receiving SMTP servers") with
/// STARTTLS on 127.0.0.1, port 0: the server script binds, prints its port (readiness), and
/// prints one line per message it accepts.
@Suite(.enabled(if: AiosmtpdServer.available, "python3-aiosmtpd is not installed (Debian package python3-aiosmtpd; .ci/run installs it)"))
struct AiosmtpdInteropTests {
    @Test func probeAndDeliverWithSTARTTLS() async throws {
        let folder = try TemporaryDirectory(prefix: "aiosmtpd")
        defer { folder.remove() }
        let server = try AiosmtpdServer(folder: folder)
        defer { server.stop() }
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: Int(server.port))
        let delivery = SMTPClientStateMachine.Delivery(reversePath: "a@probe.test", recipients: ["b@mx.example.test"], message: "Subject: interop\r\n\r\n.dotted\r\n".bytes)
        let configuration = SMTPProbe.Configuration(
            session: .init(clientName: "probe.test", tls: .required, delivery: delivery, timeouts: .init(all: .seconds(10))),
            sniHostname: "mx.example.test", connectTimeout: .seconds(5)
        )
        let result = try await SMTPProbe.run(to: address, configuration: configuration)
        #expect(result.outcome.stopReason == .completed, "\(result)")
        #expect(result.outcome.startTLS == .established)
        #expect(result.outcome.capabilitiesBeforeTLS?.startTLS == true)
        #expect(result.outcome.capabilitiesAfterTLS?.startTLS == false)
        #expect(result.tls?.peerChain == TestCertificates.chainDER)
        #expect(result.tls?.version != nil)
        #expect(result.outcome.delivered)
        let line = try server.nextLine()
        #expect(line == "MESSAGE a@probe.test b@mx.example.test tls=1 sni=mx.example.test bytes=Subject: interop||.dotted|", "\(line)")
    }
}
