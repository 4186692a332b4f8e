import Dispatch

/// Runs blocking work (a peer tool run to completion, a log polled until a deadline) on a
/// Dispatch thread instead of a Swift concurrency thread, so an async test that waits for
/// Postfix or posttls-finger does not hold one of the cooperative pool's few threads (one per
/// core: two on CI) while resolvers and servers of tests running beside it need them.
package enum BlockingWork {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
