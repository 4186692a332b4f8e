import DNSCore
import DNSTransport
import Logging
import ServiceLifecycle
import Synchronization

/// The bytes-in face of a `RecursiveAnswerer` for `DNSServerService`'s UDP and TCP handlers,
/// and the `Service` that does its work. `respond` only parses (FORMERR at once for bytes
/// that are not a query) and hands the handler a `DNSDeferredReply`; `run()` answers the
/// queued queries as child tasks of one task group, so no lookup outlives the service.
///
/// The answerer may be given later (`serve(_:)`): a lab knows its name servers' ports only
/// once they are bound, after the listeners are up. Queries wait in the queue until then.
public final class RecursiveResponder: DNSResponder, Service, Sendable {
    struct Job: Sendable {
        var query: Message
        var transport: Transport
        var completion: DNSDeferredReply.Completion
    }

    private let jobs: AsyncStream<Job>
    private let queue: AsyncStream<Job>.Continuation
    private let state = Mutex(State())
    private let logger: Logger

    private struct State {
        var answerer: RecursiveAnswerer?
        var waiters: [CheckedContinuation<RecursiveAnswerer?, Never>] = []
        var stopped = false
    }

    public init(answerer: RecursiveAnswerer? = nil, logger: Logger = Logger(label: "daneprobe.recursive")) {
        (jobs, queue) = AsyncStream.makeStream(of: Job.self)
        self.logger = logger
        state.withLock { $0.answerer = answerer }
    }

    /// Sets the answerer; queued and later queries are answered by it.
    public func serve(_ answerer: RecursiveAnswerer) {
        let waiters = state.withLock { state in
            state.answerer = answerer
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: answerer) }
    }

    public func respond(to bytes: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
        let query: Message
        switch DecodedQuery.decode(bytes) {
        case .query(let message): query = message
        case .handled(let action): return action
        }
        let queue = self.queue
        let transport = context.transport
        return .replyLater(DNSDeferredReply { completion in
            if case .terminated = queue.yield(Job(query: query, transport: transport, completion: completion)) { completion(nil) }
        })
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            guard let answerer = await self.answerer() else { return }
            await withDiscardingTaskGroup { group in
                for await job in self.jobs {
                    group.addTask { job.completion(await answerer.answer(job.query, over: job.transport).wire) }
                }
            }
        } onGracefulShutdown: {
            self.stop()
        }
        // Queries that arrived after the end are not answered.
        for await job in jobs { job.completion(nil) }
    }

    private func stop() {
        let waiters = state.withLock { state in
            state.stopped = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        queue.finish()
    }

    private func answerer() async -> RecursiveAnswerer? {
        await withCheckedContinuation { continuation in
            let ready: RecursiveAnswerer?? = state.withLock { state in
                if let answerer = state.answerer { return .some(answerer) }
                if state.stopped { return .some(nil) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
