import Synchronization
import Logging
import NIOCore

/// Serves DNS over one TCP connection (RFC 1035 §4.2.2, RFC 7766), behind a
/// `DNSTCPFrameDecoder`/`DNSTCPFrameEncoder` pair: each frame is one query, answered in the
/// order the responder returns (RFC 7766 §6.2.1.1 lets a delayed answer overtake none or
/// be overtaken: responses carry their query's ID). The connection is closed when the
/// client is idle too long (an `IdleStateHandler` event, RFC 7766 §6.2.3), when it
/// half-closes and every pending answer has been written, or on an error.
public final class DNSStreamHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let responder: any DNSResponder
    private let logger: Logger
    private var needsFlush = false
    private var pendingDelayed = 0
    private var inputClosed = false
    private var scheduled: [Int: Scheduled<Void>] = [:]
    private var nextTaskID = 0

    public init(responder: any DNSResponder, logger: Logger) {
        self.responder = responder
        self.logger = logger
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let bytes = Array(frame.readableBytesView)
        let action = responder.respond(to: bytes, context: DNSRequestContext(transport: .tcp, remoteAddress: context.remoteAddress))
        switch action {
        case .drop:
            return
        case .reply(let reply):
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
            needsFlush = true
        case .replyAfter(let delay, let reply):
            let buffer = context.channel.allocator.buffer(bytes: reply)
            pendingDelayed += 1
            let id = nextTaskID
            nextTaskID &+= 1
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            scheduled[id] = context.eventLoop.scheduleTask(in: delay.timeAmount) {
                let (handler, context) = bound.value
                handler.scheduled[id] = nil
                context.writeAndFlush(handler.wrapOutboundOut(buffer), promise: nil)
                handler.pendingDelayed -= 1
                handler.closeIfFinished(context: context)
            }
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            logger.debug("tcp idle timeout, closing", metadata: ["remote": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
            return
        }
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            closeIfFinished(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func closeIfFinished(context: ChannelHandlerContext) {
        guard inputClosed, pendingDelayed == 0 else { return }
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.close(promise: nil)
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        for task in scheduled.values { task.cancel() }
        scheduled = [:]
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("tcp error, closing", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}

/// Counts open TCP connections against a limit, across event loops.
public final class ConnectionLimiter: Sendable {
    public let limit: Int
    private let open: Mutex<Int>

    public init(limit: Int) {
        self.limit = limit
        self.open = Mutex(0)
    }

    /// Takes a slot; false when `limit` connections are already open.
    public func acquire() -> Bool {
        open.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    public func release() {
        open.withLock { $0 = max(0, $0 - 1) }
    }

    public var openConnections: Int { open.withLock { $0 } }
}
