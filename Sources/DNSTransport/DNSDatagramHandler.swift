import Logging
import NIOCore

/// Serves DNS over UDP (RFC 1035 §4.2.1): each datagram is one query, handed to the
/// responder; the action it returns is carried out — reply to the sender, drop, or reply
/// after a delay scheduled on the event loop. Replies are flushed once per read burst, so a
/// busy socket sends them in batches.
public final class DNSDatagramHandler: ChannelInboundHandler {
    public typealias InboundIn = AddressedEnvelope<ByteBuffer>
    public typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let responder: any DNSResponder
    private let logger: Logger
    private var needsFlush = false
    private var scheduled: [Int: Scheduled<Void>] = [:]
    private var nextTaskID = 0
    private var removed = false

    public init(responder: any DNSResponder, logger: Logger) {
        self.responder = responder
        self.logger = logger
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        let action = responder.respond(to: bytes, context: DNSRequestContext(transport: .udp, remoteAddress: envelope.remoteAddress))
        switch action {
        case .drop:
            return
        case .reply(let reply):
            let buffer = context.channel.allocator.buffer(bytes: reply)
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
            needsFlush = true
        case .replyAfter(let delay, let reply):
            let reply = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: reply))
            let id = nextTaskID
            nextTaskID &+= 1
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            scheduled[id] = context.eventLoop.scheduleTask(in: delay.timeAmount) {
                let (handler, context) = bound.value
                handler.scheduled[id] = nil
                context.writeAndFlush(handler.wrapOutboundOut(reply), promise: nil)
            }
        case .replyLater(let deferred):
            let remote = envelope.remoteAddress
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            deferred.run { reply in
                guard let reply else { return }
                eventLoop.execute {
                    let (handler, context) = bound.value
                    guard !handler.removed else { return }
                    let buffer = context.channel.allocator.buffer(bytes: reply)
                    context.writeAndFlush(handler.wrapOutboundOut(AddressedEnvelope(remoteAddress: remote, data: buffer)), promise: nil)
                }
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

    public func handlerRemoved(context: ChannelHandlerContext) {
        for task in scheduled.values { task.cancel() }
        scheduled = [:]
        removed = true
    }

    /// A UDP socket error (an ICMP error reported on the socket, a send failure) concerns one
    /// datagram, not the listener: log it and go on.
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("udp error", metadata: ["error": "\(error)"])
    }
}
