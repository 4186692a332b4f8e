import PeerTestSupport
import DNSCore
import DNSServer
import DNSTransport
import Testing

/// Header and EDNS rules of the answerer and the responder: RFC 1035 §4.1.1 (opcodes,
/// FORMERR), RFC 6891 §6.1.3 (BADVERS) and §7 (OPT echo), RFC 3225 §3 (DO echo).
@Suite struct MessageRulesTests {
    static func responder() throws -> AuthoritativeResponder {
        AuthoritativeResponder(answerer: try PlainZone.answerer())
    }

    static func reply(_ bytes: [UInt8], transport: Transport = .udp) throws -> Message? {
        switch try responder().respond(to: bytes, context: DNSRequestContext(transport: transport, remoteAddress: nil)) {
        case .reply(let wire): return try Message(wire: wire)
        case .drop: return nil
        case .replyAfter: Issue.record("unexpected delay"); return nil
        case .replyLater: Issue.record("unexpected deferred answer"); return nil
        }
    }

    @Test func otherOpcodesAreNotImplemented() throws {
        var query = Message.query(id: 1, name: name("www.example."), type: .soa, recursionDesired: false)
        query.header.opcode = .notify
        let response = try PlainZone.answerer().answer(query: query, over: .udp)
        #expect(response.header.rcode == .notImp)
        #expect(response.header.opcode == .notify)
    }

    @Test func noQuestionOrTwoQuestionsIsFormatError() throws {
        var query = Message.query(id: 1, name: name("www.example."), type: .a)
        query.questions = []
        #expect(try PlainZone.answerer().answer(query: query, over: .udp).header.rcode == .formErr)
        query.questions = [Question(name: name("www.example."), type: .a), Question(name: name("ns1.example."), type: .a)]
        #expect(try PlainZone.answerer().answer(query: query, over: .udp).header.rcode == .formErr)
    }

    @Test func queryWithAnswerRecordsIsFormatError() throws {
        var query = Message.query(id: 1, name: name("www.example."), type: .a)
        query.answers = try records("www A 192.0.2.1")
        #expect(try PlainZone.answerer().answer(query: query, over: .udp).header.rcode == .formErr)
    }

    @Test func unparsableBodyIsFormatErrorWithTheQueryID() throws {
        var bytes = Message.query(id: 0xBEEF, name: name("www.example."), type: .a).wire
        bytes.removeLast(3)
        let response = try #require(try Self.reply(bytes))
        #expect(response.header.id == 0xBEEF)
        #expect(response.header.rcode == .formErr)
        #expect(response.header.isResponse)
        #expect(response.questions.isEmpty)
    }

    @Test func shortMessagesAndResponsesAreDropped() throws {
        #expect(try Self.reply([0x12, 0x34, 0x01]) == nil)
        var response = Message.query(id: 1, name: name("www.example."), type: .a)
        response.header.isResponse = true
        #expect(try Self.reply(response.wire) == nil)
    }

    @Test func zoneTransfersAreRefusedAndMetaTypesNotImplemented() throws {
        let answerer = try PlainZone.answerer()
        #expect(try answerer.ask("example.", .axfr).header.rcode == .refused)
        #expect(try answerer.ask("example.", RRType(250)).header.rcode == .notImp)
        #expect(try answerer.ask("example.", .opt).header.rcode == .formErr)
    }

    @Test func otherClassesAreRefused() throws {
        var query = Message.query(id: 1, name: name("www.example."), type: .a)
        query.questions[0].rrClass = .chaos
        #expect(try PlainZone.answerer().answer(query: query, over: .udp).header.rcode == .refused)
    }

    /// RFC 6891 §6.1.3: a version we do not implement gets BADVERS (extended RCODE 16) with
    /// our version, 0.
    @Test func RFC6891_6_1_3_unknownVersionIsBADVERS() throws {
        var query = Message.query(id: 1, name: name("www.example."), type: .a)
        query.edns?.version = 1
        let wire = try PlainZone.answerer().answer(query: query, over: .udp).wire
        let response = try Message(wire: wire)
        #expect(response.header.rcode == .badVers)
        #expect(response.edns?.version == 0)
        #expect(response.answers.isEmpty)
    }

    /// RFC 6891 §7 and RFC 3225 §3: OPT is echoed with our payload size, DO copied.
    @Test func RFC6891_7_optEchoedWithDO() throws {
        let answerer = try PlainZone.answerer()
        let withDO = try answerer.ask("www.example.", .a, dnssec: true)
        #expect(withDO.edns?.udpPayloadSize == 1232)
        #expect(withDO.edns?.dnssecOK == true)
        #expect(try answerer.ask("www.example.", .a, dnssec: false).edns?.dnssecOK == false)
        #expect(try answerer.ask("www.example.", .a, edns: false).edns == nil)
    }
}

/// UDP truncation: RFC 1035 §4.2.1 (512 octets), RFC 6891 §6.2.5 (payload size), RFC 2181
/// §9 (whole RRsets, TC only when required data is missing).
@Suite struct TruncationTests {
    /// 30 TXT records of ~100 octets: 3 KB of answer.
    static func bigZone(origin: String = "example.") throws -> Zone {
        var text = "@ SOA ns hm 1 3600 900 604800 300\n@ NS ns\nns A 192.0.2.1\n"
        for i in 0..<30 { text += "big TXT \"\(i) \(String(repeating: "x", count: 96))\"\n" }
        for i in 0..<30 { text += "many A 192.0.2.\(i + 1)\n" }
        for i in 0..<15 { text += "mx\(i) A 192.0.2.\(i + 1)\nwide MX 10 mx\(i)\n" }
        return try TestZones.zone(text, origin: origin)
    }

    @Test func RFC1035_4_2_1_withoutEDNSTheLimitIs512AndTCIsSet() throws {
        let answerer = try TestZones.answerer(try Self.bigZone())
        let query = Message.query(id: 3, name: name("big.example."), type: .txt, recursionDesired: false)
        var plain = query
        plain.edns = nil
        let response = answerer.answer(query: plain, over: .udp)
        #expect(response.header.isTruncated)
        #expect(response.answers.isEmpty, "a whole RRset or nothing (RFC 2181 §9)")
        #expect(response.questions.count == 1)
        #expect(response.wire.count <= 512)
    }

    @Test func RFC6891_6_2_5_limitIsTheSmallerOfTheirsAndOurs() throws {
        let answerer = try TestZones.answerer(try Self.bigZone())
        // 30 A records (~500 octets) fit 1232 but not 512.
        let fits = try answerer.ask("many.example.", .a, over: .udp, payload: 4096)
        #expect(!fits.header.isTruncated)
        #expect(fits.answers.count == 30)
        #expect(fits.wire.count <= 1232)
        let small = try answerer.ask("many.example.", .a, over: .udp, payload: 100)
        #expect(small.header.isTruncated, "payload sizes below 512 count as 512")
        let txt = try answerer.ask("big.example.", .txt, over: .udp, payload: 4096)
        #expect(txt.header.isTruncated, "3 KB does not fit our 1232")
        #expect(txt.edns != nil, "OPT survives truncation")
    }

    @Test func tcpIsNeverTruncated() throws {
        let response = try TestZones.answerer(try Self.bigZone()).ask("big.example.", .txt, over: .tcp)
        #expect(!response.header.isTruncated)
        #expect(response.answers.count == 30)
    }

    /// RFC 2181 §9: optional additional data that does not fit is left out without TC.
    @Test func RFC2181_9_optionalAdditionalDataIsDroppedSilently() throws {
        let response = try TestZones.answerer(try Self.bigZone()).ask("wide.example.", .mx, over: .udp, edns: false)
        #expect(!response.header.isTruncated)
        #expect(response.answers.count == 15)
        #expect(response.additional.count < 15)
        #expect(response.wire.count <= 512)
    }

    @Test func largerPayloadConfigured() throws {
        let answerer = try TestZones.answerer(try Self.bigZone(), configuration: .init(maxUDPPayloadSize: 4096))
        let response = try answerer.ask("big.example.", .txt, over: .udp, payload: 4096)
        #expect(!response.header.isTruncated)
        #expect(response.edns?.udpPayloadSize == 4096)
    }
}

/// DNSSEC records only with DO (RFC 4035 §3.1: "MUST NOT" add them otherwise), over the
/// RFC 4035 Appendix A zone.
@Suite struct RFC4035_3_1_DNSSECAdditionsTests {
    static func answerer() throws -> AuthoritativeAnswerer {
        try TestZones.answerer(try TestZones.zone(file: "rfc4035/appendix-A.zone", origin: "example."))
    }

    @Test func withoutDONoDNSSECRecords() throws {
        let answerer = try Self.answerer()
        for (qname, qtype) in [("x.w.example.", RRType.mx), ("ml.example.", .a), ("ns1.example.", .mx), ("mc.a.example.", .mx), ("a.z.w.example.", .mx)] {
            let response = try answerer.ask(qname, qtype, dnssec: false)
            let all = response.answers + response.authority + response.additional
            #expect(all.allSatisfy { ![.rrsig, .nsec, .nsec3, .ds].contains($0.type) }, "\(qname) \(qtype)")
        }
    }

    @Test func dnskeyQueryIsSigned() throws {
        let response = try Self.answerer().ask("example.", .dnskey, dnssec: true)
        #expect(response.summary(\.answers) == ["example. DNSKEY", "example. DNSKEY", "example. RRSIG DNSKEY", "example. RRSIG DNSKEY"])
    }

    /// An empty non-terminal has no NSEC of its own: the NSEC covering it (whose next name
    /// lies below it) proves it exists without data.
    @Test func RFC4035_3_1_3_1_emptyNonTerminalNoDataUsesTheCoveringNSEC() throws {
        let response = try Self.answerer().ask("y.w.example.", .a, dnssec: true)
        #expect(response.header.rcode == .noError)
        #expect(response.summary(\.authority) == ["example. SOA", "example. RRSIG SOA", "x.w.example. NSEC", "x.w.example. RRSIG NSEC"])
    }

    @Test func rrsigQueryReturnsEveryRRSIGAtTheName() throws {
        let response = try Self.answerer().ask("ns1.example.", .rrsig, dnssec: true)
        #expect(Set(response.summary(\.answers)) == ["ns1.example. RRSIG A", "ns1.example. RRSIG NSEC"])
    }

    /// RFC 5155 §7.2.8: NSEC3 owner names are not names of the zone.
    @Test func RFC5155_7_2_8_nsec3OwnersDoNotExist() throws {
        let zone = try TestZones.zone(file: "rfc5155/appendix-A.zone", origin: "example.")
        let response = try TestZones.answerer(zone).ask("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.", .a, dnssec: true)
        #expect(response.header.rcode == .nxDomain)
    }
}
