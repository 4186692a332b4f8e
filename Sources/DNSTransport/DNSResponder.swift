import DNSCore
import NIOCore

/// What a server does with one query: the decision a handler carries out. Handlers only frame
/// bytes and call a `DNSResponder`; every decision — the answer, dropping, delaying — is made by
/// the responder and returned as one of these values.
public enum DNSResponderAction: Sendable, Hashable {
    /// Send these bytes (one DNS message) back at once.
    case reply([UInt8])
    /// Send nothing (the query is not answered at all).
    case drop
    /// Send these bytes after waiting `delay` on the channel's event loop (whose clock tests
    /// control: `EmbeddedEventLoop.advanceTime`).
    case replyAfter(Duration, [UInt8])
    /// Send what this deferred work produces, when it is done (nil: send nothing).
    case replyLater(DNSDeferredReply)
}

/// Where a query came from.
public struct DNSRequestContext: Sendable {
    public var transport: Transport
    public var remoteAddress: SocketAddress?

    public init(transport: Transport, remoteAddress: SocketAddress?) {
        self.transport = transport
        self.remoteAddress = remoteAddress
    }
}

/// Turns the bytes of one query into an action. Called on an event loop for every message, so
/// it must not block; it holds no per-connection state.
public protocol DNSResponder: Sendable {
    func respond(to query: [UInt8], context: DNSRequestContext) -> DNSResponderAction
}

extension Duration {
    /// The duration as NIO's `TimeAmount` (nanosecond resolution, saturating).
    public var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanos.overflow else { return .nanoseconds(seconds < 0 ? .min : .max) }
        let total = nanos.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000)
        return .nanoseconds(total.overflow ? .max : total.partialValue)
    }
}

/// A request's bytes after the checks every server makes first (`decode(_:)`).
public enum DecodedQuery: Sendable {
    /// A readable query, for the responder to answer.
    case query(Message)
    /// What to do instead of answering: drop it, or send FORMERR.
    case handled(DNSResponderAction)

    /// RFC 1035 §4.1.1: a message too short for a header, or a response (QR set), is dropped —
    /// answering it could start a loop; a header with an unreadable body gets FORMERR with its
    /// ID, opcode and RD; a readable query is returned.
    public static func decode(_ bytes: [UInt8]) -> DecodedQuery {
        guard bytes.count >= 12, bytes[2] & 0x80 == 0 else { return .handled(.drop) }
        do {
            return .query(try Message(wire: bytes))
        } catch {
            return .handled(Message.formatErrorReply(toQuery: bytes).map { .reply($0.wire) } ?? .drop)
        }
    }
}
