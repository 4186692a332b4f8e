import DNSCore
import NIOCore

/// The handler of one shared UDP socket of a `UDPSocketPool`: it sends queries for many
/// exchanges at once, each under a random ID not in use towards the same server, and hands
/// every datagram to the exchange waiting on that ID and source address, where
/// `ResponseMatcher` judges it (RFC 5452 §4.3: ID, source address and port, question).
/// Datagrams nobody waits for — late, duplicated or spoofed — are dropped. Lives on its
/// channel's event loop; every method runs there.
final class UDPDemultiplexer: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    struct Key: Hashable {
        var id: UInt16
        var server: SocketAddress
    }

    struct Pending {
        var query: Message
        var maxSize: Int
        var promise: EventLoopPromise<Message>
        var timer: Scheduled<Void>
        /// Set when the server sent something that is no DNS message while this query
        /// waited: reported instead of a bare timeout.
        var garbage: DNSExchangeError?
    }

    private var pending: [Key: Pending] = [:]
    private var context: ChannelHandlerContext?

    var inFlight: Int { pending.count }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        failAll(DNSExchangeError(.networkError, "UDP socket closed before an answer"))
    }

    /// Sends `query` to `server` under a fresh random ID (drawn again while one is in use
    /// towards that server on this socket) and returns the future answer, failed after
    /// `timeout`. The ID in the answer is the one sent.
    func send(_ query: Message, to server: SocketAddress, timeout: Duration, randomness: any QueryRandomness,
              eventLoop: any EventLoop) -> EventLoopFuture<Message> {
        guard let context else {
            return eventLoop.makeFailedFuture(DNSExchangeError(.networkError, "UDP socket closed"))
        }
        var query = query
        var candidate = Key(id: 0, server: server)
        var draws = 0
        repeat {
            candidate.id = UInt16(truncatingIfNeeded: randomness.next())
            draws += 1
        } while pending[candidate] != nil && draws < 64
        let key = candidate
        guard pending[key] == nil else {
            return eventLoop.makeFailedFuture(DNSExchangeError(.networkError, "no free query ID towards \(server)"))
        }
        query.header.id = key.id
        let promise = eventLoop.makePromise(of: Message.self)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let timer = eventLoop.scheduleTask(in: timeout.timeAmount) {
            let handler = bound.value
            let error = handler.pending[key]?.garbage ?? DNSExchangeError(.timeout, "no answer within \(timeout)")
            handler.finish(key, with: .failure(error))
        }
        pending[key] = Pending(query: query, maxSize: max(512, Int(query.edns?.udpPayloadSize ?? 512)), promise: promise, timer: timer)
        let buffer = context.channel.allocator.buffer(bytes: query.wire)
        let written = eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            bound.value.finish(key, with: .failure(DNSExchangeError(.networkError, "UDP send to \(server) failed: \(error)")))
        }
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: server, data: buffer)), promise: written)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let view = envelope.data.readableBytesView
        guard view.count >= 12 else { return noteStray(Array(view), from: envelope.remoteAddress) }
        let id = UInt16(view[view.startIndex]) << 8 | UInt16(view[view.startIndex + 1])
        let key = Key(id: id, server: envelope.remoteAddress)
        guard let waiting = pending[key] else { return noteStray(Array(view), from: envelope.remoteAddress) }
        switch ResponseMatcher.match(Array(view), to: waiting.query, maxSize: waiting.maxSize) {
        case .accepted(let message): finish(key, with: .success(message))
        case .ignored: return
        case .rejected(let error) where error.code == .mismatchedResponse:
            // The ID and source match but the question does not: on a shared socket that is
            // most likely a late answer to an earlier query that had the same ID (or a spoof),
            // not this query's answer: dropped, and this query keeps waiting (RFC 5452 §9.1).
            _ = error
            return
        case .rejected(let error): finish(key, with: .failure(error))
        }
    }

    /// A datagram no query waits for is dropped (RFC 5452 §9.1: a late answer, or a guess at
    /// an ID). When it is not even a DNS message and comes from a server that queries on this
    /// socket wait for, each of them notes it, so that one ending without an answer reports
    /// the garbage (`malformedResponse`) rather than silence. Only diagnostics: no query is
    /// ended early by a datagram that does not carry its ID.
    private func noteStray(_ bytes: [UInt8], from server: SocketAddress) {
        let error: DNSExchangeError
        if bytes.count < 12 {
            error = DNSExchangeError(.malformedResponse, "\(bytes.count) octets from the server are shorter than a DNS header")
        } else {
            do { _ = try Message(wire: bytes) } catch { return noteGarbage(DNSExchangeError(.malformedResponse, "answer does not parse: \(error)"), from: server) }
            return
        }
        noteGarbage(error, from: server)
    }

    private func noteGarbage(_ error: DNSExchangeError, from server: SocketAddress) {
        for (key, var waiting) in pending where key.server == server && waiting.garbage == nil {
            waiting.garbage = error
            pending[key] = waiting
        }
    }

    /// A socket error (an ICMP error, a failed send) concerns one datagram, not the socket;
    /// the exchange it belonged to times out or retries.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}

    func channelInactive(context: ChannelHandlerContext) {
        failAll(DNSExchangeError(.networkError, "UDP socket closed before an answer"))
        context.fireChannelInactive()
    }

    private func finish(_ key: Key, with result: Result<Message, DNSExchangeError>) {
        guard let waiting = pending.removeValue(forKey: key) else { return }
        waiting.timer.cancel()
        switch result {
        case .success(let message): waiting.promise.succeed(message)
        case .failure(let error): waiting.promise.fail(error)
        }
    }

    private func failAll(_ error: DNSExchangeError) {
        let all = pending
        pending = [:]
        for waiting in all.values {
            waiting.timer.cancel()
            waiting.promise.fail(error)
        }
    }
}
