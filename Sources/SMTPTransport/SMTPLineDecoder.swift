import NIOCore
import SMTPCore

/// One framed SMTP line, or the report that a line passed the limit.
public enum SMTPInboundLine: Hashable, Sendable {
    /// A line without its line ending.
    case line([UInt8])
    /// A line longer than the limit; its bytes up to the next line ending were dropped.
    case lineTooLong
}

/// SMTP line framing as a `ByteToMessageDecoder`, with the rules and limit of
/// `SMTPLineSplitter` (RFC 5321 §2.3.8, §4.5.3.1): for pipelines that never cross a STARTTLS
/// boundary (plaintext peers, scripted lab servers).
///
/// The STARTTLS client and server handlers frame lines themselves with the same splitter
/// instead: a decoder handler keeps bytes in its own cumulation buffer, out of reach at the
/// moment of the 220, and RFC 3207 §5 requires exactly those bytes to be discarded before TLS.
/// For the same reason this decoder drops, rather than delivers, a partial line left at EOF.
public struct SMTPLineDecoder: ByteToMessageDecoder {
    public typealias InboundOut = SMTPInboundLine

    private var splitter: SMTPLineSplitter

    public init(maxLineLength: Int = 4096, requireCRLF: Bool = true) {
        splitter = SMTPLineSplitter(maxLineLength: maxLineLength, requireCRLF: requireCRLF)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            splitter.append(buffer.readableBytesView)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        }
        guard let event = splitter.next() else { return .needMoreData }
        switch event {
        case .line(let line): context.fireChannelRead(wrapInboundOut(.line(line)))
        case .lineTooLong: context.fireChannelRead(wrapInboundOut(.lineTooLong))
        }
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        _ = splitter.reset()
        return .needMoreData
    }
}
