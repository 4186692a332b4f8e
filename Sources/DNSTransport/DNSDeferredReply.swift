import Synchronization

/// An answer that is not ready when the query is read: a responder that must do asynchronous
/// work (a recursive resolver asking other servers) hands the handler one of these. The
/// handler calls `start` once with a completion; the responder's own service does the work
/// (structured, in its task group) and calls the completion exactly once, from any thread,
/// with the reply's bytes or nil for "send nothing". The handler hops back to its event loop.
public struct DNSDeferredReply: Sendable, Hashable {
    public typealias Completion = @Sendable ([UInt8]?) -> Void

    private let id: UInt64
    private let start: @Sendable (@escaping Completion) -> Void

    private static let counter = Atomic<UInt64>(0)

    public init(_ start: @escaping @Sendable (@escaping Completion) -> Void) {
        self.id = Self.counter.add(1, ordering: .relaxed).newValue
        self.start = start
    }

    /// Starts the work; `completion` gets the reply (or nil).
    public func run(_ completion: @escaping Completion) { start(completion) }

    public static func == (lhs: DNSDeferredReply, rhs: DNSDeferredReply) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
