import SMTPCore
import Synchronization

/// One message a server accepted, with its session's facts.
public struct SMTPStoredMessage: Hashable, Sendable {
    public var message: SMTPServerStateMachine.ReceivedMessage
    /// The TLS session it came over, nil for plaintext.
    public var tls: SMTPTLSFacts?
    /// "ip:port" of the client.
    public var peer: String

    public init(message: SMTPServerStateMachine.ReceivedMessage, tls: SMTPTLSFacts?, peer: String) {
        self.message = message
        self.tls = tls
        self.peer = peer
    }
}

/// The messages a server accepted, in order. Stored synchronously on the event loop before the
/// 250 is sent, so a client that has seen 250 finds its message here — no task, no wait.
/// (A lock, not an actor, for exactly that reason.)
public final class SMTPMessageStore: Sendable {
    private let storage = Mutex<[SMTPStoredMessage]>([])
    private let onAppend: (@Sendable (SMTPStoredMessage) -> Void)?

    /// `onAppend` is told of each message as it is stored, on the event loop, before the 250:
    /// it must not block (hand the message on, e.g. to an `AsyncStream`).
    public init(onAppend: (@Sendable (SMTPStoredMessage) -> Void)? = nil) {
        self.onAppend = onAppend
    }

    public var messages: [SMTPStoredMessage] { storage.withLock { $0 } }

    func append(_ message: SMTPStoredMessage) {
        storage.withLock { $0.append(message) }
        onAppend?(message)
    }
}
