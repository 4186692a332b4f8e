import PeerTestSupport
import DNSTransport
import NIOCore
import NIOEmbedded
import Testing

/// RFC 1035 §4.2.2 length framing, RFC 7766 §6.2.1 several messages per connection: the
/// decoder fed whole, byte by byte and in uneven pieces (the ByteToMessageDecoderVerifier
/// approach of NIOTestUtils, on an EmbeddedChannel).
@Suite struct DNSTCPFrameDecoderTests {
    static let messages: [[UInt8]] = [
        Array(0..<12),
        [],
        Array(repeating: 0xAB, count: 300),
        Array(repeating: 0x01, count: 1),
        Array(repeating: 0x7F, count: 65_535),
    ]

    static var stream: [UInt8] {
        messages.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
    }

    static func decode(_ chunks: [ArraySlice<UInt8>]) throws -> [[UInt8]] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(DNSTCPFrameDecoder()))
        var out: [[UInt8]] = []
        for chunk in chunks {
            try channel.writeInbound(channel.allocator.buffer(bytes: chunk))
            while let frame = try channel.readInbound(as: ByteBuffer.self) { out.append(Array(frame.readableBytesView)) }
        }
        _ = try channel.finish()
        return out
    }

    @Test func wholeStream() throws {
        #expect(try Self.decode([Self.stream[...]]) == Self.messages)
    }

    @Test func byteByByte() throws {
        // The 64 KiB message makes this 65,855 writes; the first four messages suffice byte
        // by byte, and the big one is fed in 1-octet steps through its length prefix only.
        let small = Self.messages.prefix(4).flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
        #expect(try Self.decode(small.indices.map { small[$0...$0] }) == Array(Self.messages.prefix(4)))
    }

    @Test(arguments: [2, 3, 7, 13, 511, 4096])
    func unevenPieces(_ size: Int) throws {
        let stream = Self.stream
        let chunks = stride(from: 0, to: stream.count, by: size).map { stream[$0..<min($0 + size, stream.count)] }
        #expect(try Self.decode(chunks) == Self.messages)
    }

    @Test func partialFrameIsHeldBack() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(DNSTCPFrameDecoder()))
        try channel.writeInbound(channel.allocator.buffer(bytes: [0x00, 0x05, 1, 2, 3]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(channel.allocator.buffer(bytes: [4, 5, 0x00]))
        let frame = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(Array(frame.readableBytesView) == [1, 2, 3, 4, 5])
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        // A truncated frame at the end of the stream is discarded, not an error.
        #expect(throws: Never.self) { _ = try channel.finish(acceptAlreadyClosed: true) }
    }

    @Test func encoderPrefixesTheLength() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(DNSTCPFrameEncoder()))
        try channel.writeOutbound(channel.allocator.buffer(bytes: [9, 8, 7]))
        let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(out.readableBytesView) == [0, 3, 9, 8, 7])
        _ = try channel.finish()
    }

    @Test func encoderRefusesOver65535() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(DNSTCPFrameEncoder()))
        #expect(throws: DNSTCPFrameError.messageTooLong(65_536)) {
            try channel.writeOutbound(channel.allocator.buffer(bytes: [UInt8](repeating: 0, count: 65_536)))
        }
        _ = try? channel.finish()
    }
}
