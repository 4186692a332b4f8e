import PeerTestSupport
import DNSServer
import Logging
import ServiceLifecycle
import Testing

/// Runs our server for `answerer` on 127.0.0.1 at a free port under a ServiceGroup for the
/// duration of `body`, then shuts it down gracefully. Readiness is the bound address.
enum LoopbackServer {
    static func run(_ answerer: AuthoritativeAnswerer, _ body: (UInt16) async throws -> Void) async throws {
        let service = DNSServerService(responder: AuthoritativeResponder(answerer: answerer),
                                       configuration: .init(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
                                       logger: Logger(label: "test"))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = UInt16(try await service.boundListeners()[0].port)
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
