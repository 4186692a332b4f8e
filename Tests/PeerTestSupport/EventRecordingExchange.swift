import DNSCore
import DNSTransport
import Synchronization

/// Wraps the real exchange and records, in order, each question as it is sent and as its
/// answer comes back (for tests of what a resolver or a probe asks while it waits).
package final class EventRecordingExchange: DNSExchange {
    package enum Event: Hashable, Sendable {
        case sent(Question)
        case answered(Question)
    }

    package let inner: NIODNSExchange
    private let recorded = Mutex<[Event]>([])

    package init(addressMap: DNSAddressMap) { inner = NIODNSExchange(addressMap: addressMap) }

    package func exchange(_ query: Message, with server: DNSServerAddress, options: DNSExchangeOptions) async throws(DNSExchangeError) -> Message {
        recorded.withLock { $0 += query.questions.map(Event.sent) }
        let answer = try await inner.exchange(query, with: server, options: options)
        recorded.withLock { $0 += query.questions.map(Event.answered) }
        return answer
    }

    package var events: [Event] { recorded.withLock { $0 } }
}
