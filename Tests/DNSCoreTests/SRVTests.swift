import Testing
@testable import DNSCore

@Suite struct RFC2782_SRVTests {
    @Test func wireAndPresentation() throws {
        let rdata = try roundTrip(.srv, "10 60 5060 BigBox.example.com.")
        #expect(rdata.wire == hex("000a 003c 13c4") + nameWire("BigBox.example.com."))
        #expect(rdata.presentation == "10 60 5060 BigBox.example.com.")
        let srv = try #require(rdata.as(SRV.self))
        #expect(srv.priority == 10 && srv.weight == 60 && srv.port == 5060)
        #expect(!srv.isServiceUnavailable)
    }

    @Test func rootTargetMeansNoService() throws {
        let srv = try #require(try RData(type: .srv, text: "0 0 0 .").as(SRV.self))
        #expect(srv.isServiceUnavailable)
        #expect(RData(srv).wire == hex("0000 0000 0000 00"))
    }

    @Test func relativeTargetUsesOrigin() throws {
        let srv = try #require(try RData(type: .srv, text: "1 2 3 sip", origin: "example.com.").as(SRV.self))
        #expect(srv.target == "sip.example.com.")
    }

    /// RFC 2782: "name compression is not to be used for this field"; RFC 4034 §6.2 lowercases it.
    @Test func targetIsNotCompressedOnSendButLowercasedInCanonicalForm() throws {
        let srv = SRV(priority: 1, weight: 2, port: 443, target: "Host.Example.com.")
        let message = Message(
            header: MessageHeader(id: 7, isResponse: true),
            questions: [Question(name: "host.example.com.", type: .srv)],
            answers: [ResourceRecord(owner: "host.example.com.", ttl: 60, srv)]
        )
        let wire = message.wire
        #expect(Array(wire.suffix(srv.target.wire.count)) == srv.target.wire)
        #expect(try Message(wire: wire) == message)
        #expect(RData(srv).canonicalWire == hex("0001 0002 01bb") + nameWire("host.example.com."))
    }

    @Test func malformed() {
        #expect(presentationErrorCode(.srv, "1 2 3") == .missingField)
        #expect(presentationErrorCode(.srv, "1 2 65536 x.") == .badNumber)
        #expect(presentationErrorCode(.srv, "a 2 3 x.") == .badNumber)
        #expect(presentationErrorCode(.srv, "1 2 3 x. y.") == .trailingData)
        #expect(presentationErrorCode(.srv, "1 2 3 a..b.") == .badName)
        expectEveryTruncationFails(.srv, hex("0001 0002 0003") + nameWire("a.example."))
        #expect(wireErrorCode(.srv, hex("0001 0002 0003 00 00")) == .rdataLengthMismatch)
    }
}
