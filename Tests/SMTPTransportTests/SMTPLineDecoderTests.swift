import NIOCore
import NIOEmbedded
import Testing
@testable import SMTPTransport

/// The framing decoder fed whole, byte by byte and in random splits (the pattern of NIO's
/// ByteToMessageDecoderVerifier).
@Suite struct SMTPLineDecoderTests {
    func decode(_ chunks: [[UInt8]], max: Int = 8) throws -> [SMTPInboundLine] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPLineDecoder(maxLineLength: max)))
        var lines: [SMTPInboundLine] = []
        for chunk in chunks {
            try channel.writeInbound(channel.allocator.buffer(bytes: chunk))
            while let line = try channel.readInbound(as: SMTPInboundLine.self) { lines.append(line) }
        }
        _ = try channel.finish()
        while let line = try channel.readInbound(as: SMTPInboundLine.self) { lines.append(line) }
        return lines
    }

    @Test func everySplit() throws {
        let wire = "EHLO a\r\nNOOP\r\n0123456789ABC\r\nbare\nlf\r\n\r\npartial".bytes
        var state: UInt64 = 12345  // a fixed LCG: the same "random" splits every run
        var splits: [[[UInt8]]] = [[wire], wire.map { [$0] }]
        for _ in 0..<20 {
            var chunks: [[UInt8]] = []
            var index = 0
            while index < wire.count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let length = min(Int(state >> 60) % 9 + 1, wire.count - index)
                chunks.append(Array(wire[index..<(index + length)]))
                index += length
            }
            splits.append(chunks)
        }
        for chunks in splits {
            #expect(try decode(chunks) == [.line("EHLO a".bytes), .line("NOOP".bytes), .lineTooLong, .line("bare\nlf".bytes), .line([])])
        }
    }
}
