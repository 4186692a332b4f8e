import NIOCore

/// Splits a TCP byte stream into DNS messages (RFC 1035 §4.2.2): each message is preceded by a
/// two-octet length in network order. RFC 7766 §6.2.1 lets a client send many messages on one
/// connection and pipeline them without waiting for answers, so the decoder emits every
/// complete frame it has and keeps any partial one for the next read.
///
/// A frame of length 0 is passed on as an empty buffer (it cannot hold a DNS header; the
/// handler decides what to do with it). Bytes left when the stream ends are a truncated frame
/// and are discarded.
public struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = Self.readFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let frame = Self.readFrame(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(frame))
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    /// One length-prefixed frame, or nil (reader index unmoved) when it is not all there yet.
    static func readFrame(from buffer: inout ByteBuffer) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              buffer.readableBytes >= 2 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 2)
        return buffer.readSlice(length: Int(length))
    }
}

/// Prefixes each outbound DNS message with its two-octet length (RFC 1035 §4.2.2).
public struct DNSTCPFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        guard data.readableBytes <= Int(UInt16.max) else { throw DNSTCPFrameError.messageTooLong(data.readableBytes) }
        out.writeInteger(UInt16(data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}

public enum DNSTCPFrameError: Error, Hashable, Sendable {
    /// A DNS message over TCP is at most 65,535 octets (the length prefix is 16 bits).
    case messageTooLong(Int)
}
