import NIOCore
import Synchronization

/// Who a TCP connection counts against: an IPv4 address, an IPv6 /64 (one host or one
/// customer's network usually holds a whole /64, so counting single IPv6 addresses would let
/// one client take every slot), or every local-socket client together.
public struct TCPClientKey: Sendable, Hashable, CustomStringConvertible {
    private let bytes: [UInt8]

    public init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4)?:
            var raw = v4.address.sin_addr
            bytes = [4] + withUnsafeBytes(of: &raw) { Array($0) }
        case .v6(let v6)?:
            var raw = v6.address.sin6_addr
            bytes = [6] + withUnsafeBytes(of: &raw) { Array($0.prefix(8)) }
        default:
            bytes = [0]
        }
    }

    public var description: String {
        switch bytes.first {
        case 4: return bytes.dropFirst().map(String.init).joined(separator: ".")
        case 6:
            let groups = stride(from: 1, to: 9, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return groups.joined(separator: ":") + "::/64"
        default: return "local"
        }
    }
}

/// One admitted TCP connection as the table sees it: its channel (to close it when evicted),
/// whom it counts against, and — written by its `DNSStreamHandler` on the connection's event
/// loop, read by admissions on any thread — when it last did DNS work and how many answers it
/// is still owed.
public final class TCPConnectionSlot: Sendable {
    public let id: Int
    public let client: TCPClientKey
    public let channel: any Channel
    private let lastActivity: Atomic<UInt64>
    private let owed = Atomic<Int>(0)

    init(id: Int, client: TCPClientKey, channel: any Channel, now: NIODeadline) {
        self.id = id
        self.client = client
        self.channel = channel
        self.lastActivity = Atomic(now.uptimeNanoseconds)
    }

    /// A whole query arrived, or an answer was written.
    public func touched(now: NIODeadline) { lastActivity.store(now.uptimeNanoseconds, ordering: .relaxed) }
    /// An answer was put off; the connection is busy until it is written.
    public func answerOwed() { owed.add(1, ordering: .relaxed) }
    public func answerWritten(now: NIODeadline) {
        owed.subtract(1, ordering: .relaxed)
        touched(now: now)
    }

    /// Idle since (nil while an answer is owed: a busy connection is never evicted).
    var idleSince: UInt64? { owed.load(ordering: .relaxed) > 0 ? nil : lastActivity.load(ordering: .relaxed) }
}

/// The server's open DNS-over-TCP connections and who may open another one.
///
/// RFC 7766 §6.2.3 lets a server limit concurrent connections per client address or subnet
/// ("much looser than the client guidelines", since a server cannot tell one client from many
/// behind NAT), and close idle connections, more aggressively when it is short of resources;
/// §6.2.1 obliges it to answer what it was asked before closing. A bare global limit lets one
/// client that opens connections and sends nothing (or half a frame, or one query every idle
/// timeout) hold every slot while everyone else is closed on accept. So `admit` decides, in
/// this order:
/// 1. a client (`TCPClientKey`: IPv4 address, IPv6 /64) already holding `perClientLimit`
///    connections is refused — one client never takes more than its share;
/// 2. below `limit` the connection is admitted;
/// 3. at `limit` the connection idle the longest — no query and no answer since, none owed;
///    a connection that sent half a frame counts as idle — is evicted (closed) and the new one
///    takes its slot;
/// 4. when every open connection is busy the new one is refused.
/// A client that keeps its connections busy with real queries keeps them (that is a query
/// flood, bounded by rule 1 and paid for in queries), while one that merely holds them loses
/// them to the next client that connects.
public final class TCPConnectionTable: Sendable {
    public let limit: Int
    public let perClientLimit: Int

    public enum Admission: Sendable {
        case admitted(TCPConnectionSlot, evicted: TCPConnectionSlot?)
        case refusedClientLimit
        case refusedAllBusy
    }

    private struct State {
        var slots: [Int: TCPConnectionSlot] = [:]
        var perClient: [TCPClientKey: Int] = [:]
        var nextID = 0
        var evictions = 0
        var refusals = 0
    }
    private let state = Mutex(State())

    public init(limit: Int, perClientLimit: Int? = nil) {
        self.limit = max(1, limit)
        self.perClientLimit = min(self.limit, max(1, perClientLimit ?? self.limit))
    }

    /// Takes a slot for `channel` (rules above); an evicted connection is closed here.
    public func admit(_ channel: any Channel, now: NIODeadline) -> Admission {
        let client = TCPClientKey(channel.remoteAddress)
        let admission: Admission = state.withLock { state in
            if state.perClient[client, default: 0] >= perClientLimit {
                state.refusals += 1
                return .refusedClientLimit
            }
            var evicted: TCPConnectionSlot?
            if state.slots.count >= limit {
                var oldest: (slot: TCPConnectionSlot, since: UInt64)?
                for slot in state.slots.values {
                    guard let since = slot.idleSince else { continue }
                    if oldest.map({ since < $0.since || (since == $0.since && slot.id < $0.slot.id) }) ?? true { oldest = (slot, since) }
                }
                guard let victim = oldest?.slot else {
                    state.refusals += 1
                    return .refusedAllBusy
                }
                Self.remove(victim, from: &state)
                state.evictions += 1
                evicted = victim
            }
            let slot = TCPConnectionSlot(id: state.nextID, client: client, channel: channel, now: now)
            state.nextID += 1
            state.slots[slot.id] = slot
            state.perClient[client, default: 0] += 1
            return .admitted(slot, evicted: evicted)
        }
        if case .admitted(_, let evicted?) = admission { evicted.channel.close(promise: nil) }
        return admission
    }

    /// The connection closed (idempotent: an evicted slot was already removed).
    public func release(_ slot: TCPConnectionSlot) {
        state.withLock { Self.remove(slot, from: &$0) }
    }

    private static func remove(_ slot: TCPConnectionSlot, from state: inout State) {
        guard state.slots.removeValue(forKey: slot.id) != nil else { return }
        let left = state.perClient[slot.client, default: 1] - 1
        state.perClient[slot.client] = left > 0 ? left : nil
    }

    public var openConnections: Int { state.withLock { $0.slots.count } }
    public var channels: [any Channel] { state.withLock { $0.slots.values.map(\.channel) } }
    /// Connections closed to make room, and connections refused, since the start.
    public var evictions: Int { state.withLock { $0.evictions } }
    public var refusals: Int { state.withLock { $0.refusals } }
}
