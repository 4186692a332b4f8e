import DNSCore
@testable import DNSResolver
import DNSTransport
import Foundation
import Testing

/// The small pure parts under the resolver's speed: the hand-written JSON (checked against
/// Foundation's parser) and the retransmission timeout arithmetic (RFC 6298 §2).
@Suite struct TransportPartsTests {
    @Test func jsonEscapesWhatRFC8259Requires() throws {
        let tricky = "quote \" backslash \\ slash / tab \t newline \n cr \r nul \u{0} bell \u{7} unit \u{1F} é 😀"
        let text = JSONValue.object(["b": .string(tricky), "a": .int(-42), "c": .array([.string(""), .object([:])])]).text
        #expect(text.hasPrefix("{\"a\":-42,\"b\":"))
        #expect(text.contains("slash /"))
        #expect(text.contains("\\u0000") && text.contains("\\u0007") && text.contains("\\u001f"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["b"] as? String == tricky)
        #expect(parsed["a"] as? Int == -42)
        #expect((parsed["c"] as? [Any])?.count == 2)
    }

    @Test func retransmissionTimeoutFollowsRFC6298() {
        var rto = RetransmissionTimeout()
        #expect(rto.timeout(cap: .seconds(2)) == RetransmissionTimeout.initial)
        #expect(rto.timeout(cap: .milliseconds(100)) == .milliseconds(100))
        rto.record(.milliseconds(100))  // §2.2: SRTT = R, RTTVAR = R/2 → RTO = 300 ms
        #expect(rto.timeout(cap: .seconds(2)) == .milliseconds(300))
        rto.record(.milliseconds(100))  // §2.3: RTTVAR = 3/4 · 50 = 37.5, SRTT = 100 → 250 ms
        #expect(rto.timeout(cap: .seconds(2)) == .milliseconds(250))
        for _ in 0..<50 { rto.record(.microseconds(200)) }
        #expect(rto.timeout(cap: .seconds(2)) == RetransmissionTimeout.minimum)
    }
}
