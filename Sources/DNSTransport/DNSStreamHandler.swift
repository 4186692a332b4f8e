import Logging
import NIOCore

/// Serves DNS over one TCP connection (RFC 1035 §4.2.2, RFC 7766), behind a
/// `DNSTCPFrameDecoder`/`DNSTCPFrameEncoder` pair: each frame is one query, answered in the
/// order the responder returns (RFC 7766 §6.2.1.1 lets a delayed answer be overtaken:
/// responses carry their query's ID). When to close — idle, half-closed with nothing owed —
/// is decided by a `DNSConnectionStateMachine` on the event loop's clock.
public final class DNSStreamHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let responder: any DNSResponder
    private let logger: Logger
    private let idleTimeout: TimeAmount?
    private var machine: DNSConnectionStateMachine?
    private var needsFlush = false
    private var scheduled: [Int: Scheduled<Void>] = [:]
    private var nextTaskID = 0
    private var idleTask: Scheduled<Void>?
    private let slot: TCPConnectionSlot?

    /// `idleTimeout`: close after this long without a query (nil: never). `slot`: where the
    /// server's `TCPConnectionTable` reads this connection's activity (which connection is
    /// idle the longest when it must make room).
    public init(responder: any DNSResponder, idleTimeout: TimeAmount? = nil, slot: TCPConnectionSlot? = nil, logger: Logger) {
        self.responder = responder
        self.idleTimeout = idleTimeout
        self.slot = slot
        self.logger = logger
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        machine = DNSConnectionStateMachine(idleTimeout: idleTimeout, now: context.eventLoop.now)
        if context.channel.isActive { perform(machine?.started(now: context.eventLoop.now), context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        perform(machine?.started(now: context.eventLoop.now), context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        machine?.queryReceived(now: context.eventLoop.now)
        slot?.touched(now: context.eventLoop.now)
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
            machine?.answerDeferred()
            slot?.answerOwed()
            let id = nextTaskID
            nextTaskID &+= 1
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            scheduled[id] = context.eventLoop.scheduleTask(in: delay.timeAmount) {
                let (handler, context) = bound.value
                handler.scheduled[id] = nil
                context.writeAndFlush(handler.wrapOutboundOut(buffer), promise: nil)
                handler.slot?.answerWritten(now: context.eventLoop.now)
                handler.perform(handler.machine?.deferredAnswerWritten(now: context.eventLoop.now), context: context)
            }
        case .replyLater(let deferred):
            machine?.answerDeferred()
            slot?.answerOwed()
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            deferred.run { reply in
                eventLoop.execute {
                    let (handler, context) = bound.value
                    guard handler.machine != nil, context.channel.isActive else { return }
                    if let reply { context.writeAndFlush(handler.wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil) }
                    handler.slot?.answerWritten(now: context.eventLoop.now)
                    handler.perform(handler.machine?.deferredAnswerWritten(now: context.eventLoop.now), context: context)
                }
            }
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            perform(machine?.inputClosed(), context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func perform(_ action: DNSConnectionStateMachine.Action?, context: ChannelHandlerContext) {
        switch action {
        case nil, .some(.none):
            return
        case .some(.scheduleIdleCheck(let deadline)):
            idleTask?.cancel()
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            idleTask = context.eventLoop.scheduleTask(deadline: deadline) {
                let (handler, context) = bound.value
                handler.idleTask = nil
                handler.perform(handler.machine?.idleCheck(now: context.eventLoop.now), context: context)
            }
        case .some(.close):
            flushIfNeeded(context: context)
            logger.debug("closing tcp connection", metadata: ["remote": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
        }
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        for task in scheduled.values { task.cancel() }
        scheduled = [:]
        idleTask?.cancel()
        idleTask = nil
        machine = nil
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("tcp error, closing", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
