import Foundation
import Synchronization

/// The resolver's notion of now, in seconds since 1970 (signature validity and cache TTLs):
/// injected, so tests run at a fixed date.
public protocol ResolverClock: Sendable {
    func now() -> Int64
}

public struct SystemResolverClock: ResolverClock {
    public init() {}
    public func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// A clock that only moves when told to (tests).
public final class ManualResolverClock: ResolverClock {
    private let current: Mutex<Int64>

    public init(_ now: Int64) { current = Mutex(now) }

    public func now() -> Int64 { current.withLock { $0 } }

    public func advance(by seconds: Int64) { current.withLock { $0 += seconds } }
}
