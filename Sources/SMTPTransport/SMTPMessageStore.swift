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
///
/// Bounded: past `maxMessages` messages or `maxOctets` octets of message data the oldest are
/// let go (counted in `evicted`); `onAppend` still sees every message, so a recorder that
/// writes them out loses none.
public final class SMTPMessageStore: Sendable {
    private struct Storage {
        var messages: [SMTPStoredMessage] = []
        var octets = 0
        var evicted = 0
    }

    private let storage = Mutex<Storage>(Storage())
    private let onAppend: (@Sendable (SMTPStoredMessage) -> Void)?
    public let maxMessages: Int
    public let maxOctets: Int

    /// `onAppend` is told of each message as it is stored, on the event loop, before the 250:
    /// it must not block (hand the message on, e.g. to an `AsyncStream`).
    public init(maxMessages: Int = 10_000, maxOctets: Int = 256 * 1024 * 1024, onAppend: (@Sendable (SMTPStoredMessage) -> Void)? = nil) {
        self.maxMessages = max(1, maxMessages)
        self.maxOctets = max(0, maxOctets)
        self.onAppend = onAppend
    }

    public var messages: [SMTPStoredMessage] { storage.withLock { $0.messages } }

    /// Messages let go to stay within the bounds.
    public var evicted: Int { storage.withLock { $0.evicted } }

    func append(_ message: SMTPStoredMessage) {
        storage.withLock { storage in
            storage.messages.append(message)
            storage.octets += message.message.data.count
            var drop = 0
            while storage.messages.count - drop > maxMessages || (storage.octets > maxOctets && storage.messages.count - drop > 1) {
                storage.octets -= storage.messages[drop].message.data.count
                drop += 1
            }
            if drop > 0 {
                storage.messages.removeFirst(drop)
                storage.evicted += drop
            }
        }
        onAppend?(message)
    }
}
