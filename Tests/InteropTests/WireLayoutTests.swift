import PeerTestSupport
import DNSCore
import Testing

/// The helper that explains a re-encoding mismatch must point at the field that differs, or
/// the round-trip tests' failures would be useless.
@Suite("WireLayout names the differing field")
struct WireLayoutTests {
    static let message = Message(
        header: MessageHeader(id: 7, isResponse: true),
        questions: [Question(name: "mail.example.test.", type: .mx)],
        answers: [ResourceRecord(owner: "mail.example.test.", ttl: 60, MX(preference: 10, exchange: "mx.example.test."))]
    )

    @Test func equalBytesHaveNoDifference() {
        #expect(WireLayout.describeDifference(peer: Self.message.wire, ours: Self.message.wire) == nil)
    }

    @Test func compressionDifferenceIsLocatedInTheAnswerOwner() throws {
        let compressed = Self.message.wire
        let uncompressed = Self.message.encoded(compress: false)
        let text = try #require(WireLayout.describeDifference(peer: uncompressed, ours: compressed))
        #expect(text.contains("first at offset 35"))
        #expect(text.contains("peer: answer[0] owner mail.example.test."))
        #expect(text.contains("ours: answer[0] owner mail.example.test. at 35..<37: C0 0C"))
    }

    @Test func layoutCoversEveryOctet() {
        let bytes = Self.message.wire
        let layout = WireLayout(bytes)
        let covered = layout.fields.reduce(0) { $0 + $1.range.count }
        #expect(covered == bytes.count)
    }
}
