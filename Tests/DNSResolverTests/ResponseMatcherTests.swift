import DNSCore
import DNSTransport
import Testing

/// RFC 5452 §4.3: an answer is accepted only with the query's ID and question.
@Suite struct RFC5452_4_3_ResponseMatchingTests {
    let query = Message.query(id: 0x1234, name: (try? DomainName(parsing: "www.Example.test.")) ?? .root, type: .a, dnssec: true)

    func response(id: UInt16 = 0x1234, name: String = "www.example.test.", type: RRType = .a) -> Message {
        var message = Message.query(id: id, name: (try? DomainName(parsing: name)) ?? .root, type: type)
        message.header.isResponse = true
        return message
    }

    @Test func matchingAnswerIsAccepted() {
        guard case .accepted = ResponseMatcher.match(response(name: "WWW.EXAMPLE.TEST.").wire, to: query, maxSize: 1232) else {
            Issue.record("0x20-insensitive match expected")
            return
        }
    }

    @Test func otherIDIsIgnored() {
        guard case .ignored(let error) = ResponseMatcher.match(response(id: 1).wire, to: query, maxSize: 1232) else {
            Issue.record("expected ignored")
            return
        }
        #expect(error.code == .mismatchedResponse)
    }

    @Test func otherQuestionIsRejected() {
        guard case .rejected(let error) = ResponseMatcher.match(response(type: .aaaa).wire, to: query, maxSize: 1232) else {
            Issue.record("expected rejected")
            return
        }
        #expect(error.code == .mismatchedResponse)
    }

    @Test func garbageIsRejected() {
        guard case .rejected(let error) = ResponseMatcher.match([0x12, 0x34, 0x80, 0, 0, 5, 0, 0, 0, 0, 0, 0, 1], to: query, maxSize: 1232) else {
            Issue.record("expected rejected")
            return
        }
        #expect(error.code == .malformedResponse)
        guard case .rejected(let short) = ResponseMatcher.match([0xDE, 0xAD], to: query, maxSize: 1232) else {
            Issue.record("expected rejected")
            return
        }
        #expect(short.code == .malformedResponse)
    }

    @Test func oversizeUDPAnswerIsRejected() throws {
        var big = response()
        let txt = try #require(TXT(splitting: [UInt8](repeating: 65, count: 200)))
        big.answers = (0..<40).map { _ in ResourceRecord(owner: big.questions[0].name, ttl: 60, txt) }
        guard case .rejected(let error) = ResponseMatcher.match(big.encoded(compress: false), to: query, maxSize: 1232) else {
            Issue.record("expected rejected")
            return
        }
        #expect(error.code == .oversizeResponse)
    }

    @Test func queryIsNotAnAnswer() {
        guard case .rejected = ResponseMatcher.match(Message.query(id: 0x1234, name: query.questions[0].name, type: .a).wire, to: query, maxSize: nil) else {
            Issue.record("QR clear must be rejected")
            return
        }
    }

    @Test func serverAddressesParse() throws {
        #expect(try DNSServerAddress(parsing: "127.0.0.53") == DNSServerAddress(host: "127.0.0.53", port: 53))
        #expect(try DNSServerAddress(parsing: "127.0.0.1:5353").port == 5353)
        #expect(try DNSServerAddress(parsing: "[::1]:53").host == "::1")
        #expect(throws: DNSExchangeError.self) { _ = try DNSServerAddress(parsing: "example.org") }
        let map = DNSAddressMap([DNSServerAddress(host: "127.0.0.53"): DNSServerAddress(host: "127.0.0.1", port: 40000)])
        #expect(map.map(DNSServerAddress(host: "127.0.0.53")).port == 40000)
        #expect(map.map(DNSServerAddress(host: "192.0.2.1")) == DNSServerAddress(host: "192.0.2.1"))
    }
}
