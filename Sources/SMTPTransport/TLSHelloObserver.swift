import NIOCore

/// Sits in front of the TLS handler and watches the cleartext hellos go by (see
/// `TLSHelloInspector`), passing every byte through unchanged.
final class TLSHelloObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private(set) var inbound = TLSHelloInspector()
    private(set) var outbound = TLSHelloInspector()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !inbound.done { inbound.feed(unwrapInboundIn(data).readableBytesView) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !outbound.done { outbound.feed(unwrapOutboundIn(data).readableBytesView) }
        context.write(data, promise: promise)
    }
}
