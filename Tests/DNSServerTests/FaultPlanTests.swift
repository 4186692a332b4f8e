import PeerTestSupport
import DNSCore
import DNSServer
import DNSTransport
import Testing

/// The lab's fault injection: data on the catalog, applied after answering.
@Suite struct FaultPlanTests {
    static let zone = "rfc4035/appendix-A.zone"

    static func act(_ faults: [(FaultSelector, [Fault])], _ qname: String, _ qtype: RRType,
                    transport: Transport = .udp) throws -> DNSResponderAction {
        let answerer = try TestZones.answerer(try TestZones.zone(file: zone, origin: "example."), faults: FaultPlan(faults))
        let query = Message.query(id: 5, name: name(qname), type: qtype, recursionDesired: false, dnssec: true)
        return AuthoritativeResponder(answerer: answerer).respond(to: query.wire, context: DNSRequestContext(transport: transport, remoteAddress: nil))
    }

    static func message(_ action: DNSResponderAction) throws -> Message {
        guard case .reply(let wire) = action else { throw FaultTestError.notAReply(action) }
        return try Message(wire: wire)
    }

    enum FaultTestError: Error { case notAReply(DNSResponderAction) }

    static let xw: FaultSelector = .query(name: name("x.w.example."), type: .mx)

    @Test func noFaultsNoChange() throws {
        let response = try Self.message(try Self.act([], "x.w.example.", .mx))
        #expect(response.summary(\.answers) == ["x.w.example. MX", "x.w.example. RRSIG MX"])
    }

    @Test func drop() throws {
        #expect(try Self.act([(Self.xw, [.drop])], "x.w.example.", .mx) == .drop)
        // Other names and types are untouched.
        #expect(try Self.act([(Self.xw, [.drop])], "x.w.example.", .a) != .drop)
    }

    @Test func delay() throws {
        guard case .replyAfter(let delay, let wire) = try Self.act([(Self.xw, [.delay(.milliseconds(1500))])], "x.w.example.", .mx) else {
            Issue.record("no delay")
            return
        }
        #expect(delay == .milliseconds(1500))
        #expect(try Message(wire: wire).answers.count == 2)
    }

    @Test(arguments: [RCode.servFail, .notImp, .refused])
    func rcode(_ rcode: RCode) throws {
        let response = try Self.message(try Self.act([(Self.xw, [.rcode(rcode)])], "x.w.example.", .mx))
        #expect(response.header.rcode == rcode)
        #expect(response.answers.isEmpty && response.authority.isEmpty && response.additional.isEmpty)
        #expect(response.header.id == 5)
    }

    @Test func truncateOverUDPOnly() throws {
        let udp = try Self.message(try Self.act([(Self.xw, [.truncate])], "x.w.example.", .mx, transport: .udp))
        #expect(udp.header.isTruncated)
        #expect(udp.answers.isEmpty)
        let tcp = try Self.message(try Self.act([(Self.xw, [.truncate])], "x.w.example.", .mx, transport: .tcp))
        #expect(!tcp.header.isTruncated)
        #expect(tcp.answers.count == 2)
    }

    @Test func corruptSignaturesFlipsOneBitOfEach() throws {
        let good = try Self.message(try Self.act([], "x.w.example.", .mx))
        let bad = try Self.message(try Self.act([(Self.xw, [.corruptSignatures])], "x.w.example.", .mx))
        let goodSig = try #require(good.answers[1].rdata.as(RRSIG.self))
        let badSig = try #require(bad.answers[1].rdata.as(RRSIG.self))
        #expect(goodSig.signature != badSig.signature)
        #expect(goodSig.signature.count == badSig.signature.count)
        #expect(zip(goodSig.signature, badSig.signature).filter { $0 != $1 }.count == 1)
        #expect(badSig.keyTag == goodSig.keyTag)
    }

    @Test func stripSignatures() throws {
        let response = try Self.message(try Self.act([(Self.xw, [.stripSignatures])], "x.w.example.", .mx))
        #expect((response.answers + response.authority + response.additional).allSatisfy { $0.type != .rrsig })
        #expect(response.summary(\.answers) == ["x.w.example. MX"])
    }

    @Test func replaceSignaturesServesPreMadeOnes() throws {
        let expired = try records("x.w.example. 3600 RRSIG MX 5 3 3600 20000101000000 19990101000000 38519 example. AQID")
        let response = try Self.message(try Self.act([(Self.xw, [.replaceSignatures(expired)])], "x.w.example.", .mx))
        let rrsig = try #require(response.answers.last?.rdata.as(RRSIG.self))
        #expect(rrsig.expiration == expired[0].rdata.as(RRSIG.self)?.expiration)
        #expect(rrsig.signature == [1, 2, 3])
        #expect(response.answers.count == 2)
    }

    @Test func zoneWideFaultsApplyToEveryName() throws {
        let plan: [(FaultSelector, [Fault])] = [(.zone(name("example.")), [.rcode(.servFail)])]
        #expect(try Self.message(try Self.act(plan, "ns1.example.", .a)).header.rcode == .servFail)
        #expect(try Self.message(try Self.act(plan, "nothing.example.", .a)).header.rcode == .servFail)
    }

    @Test func anyTypeSelector() throws {
        let plan: [(FaultSelector, [Fault])] = [(.query(name: name("X.W.example."), type: nil), [.drop])]
        #expect(try Self.act(plan, "x.w.example.", .a) == .drop)
        #expect(try Self.act(plan, "x.w.example.", .mx) == .drop)
        #expect(try Self.act(plan, "ns1.example.", .a) != .drop)
    }
}
