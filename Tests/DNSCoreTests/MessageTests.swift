import Testing
@testable import DNSCore

@Suite struct RFC1035_4_1_MessageTests {
    /// A response to `example.com. MX`: the answer owner points at the question name
    /// (offset 12), the MX exchange reuses it as a suffix, and the A record's owner points at
    /// the exchange written inside the MX RDATA (offset 43).
    @Test func compressionLayout() throws {
        let message = Message(
            header: MessageHeader(id: 1, isResponse: true, recursionDesired: true, recursionAvailable: true),
            questions: [Question(name: "example.com.", type: .mx)],
            answers: [
                ResourceRecord(owner: "example.com.", ttl: 3600, MX(preference: 10, exchange: "mail.example.com.")),
                ResourceRecord(owner: "mail.example.com.", ttl: 3600, A(IPv4Address(192, 0, 2, 1))),
            ]
        )
        let expected = hex("""
            0001 8180 0001 0002 0000 0000
            076578616d706c6503636f6d00 000f 0001
            c00c 000f 0001 00000e10 0009 000a 046d61696c c00c
            c02b 0001 0001 00000e10 0004 c0000201
            """)
        #expect(message.wire == expected)
        #expect(try Message(wire: expected) == message)
        let uncompressed = message.encoded(compress: false)
        // 12 header + 17 question + (13 + 10 + 20) MX + (18 + 10 + 4) A, every name in full.
        #expect(uncompressed.count == 104)
        #expect(try Message(wire: uncompressed) == message)
    }

    @Test func compressionIgnoresCaseButKeepsIt() throws {
        let message = Message(
            questions: [Question(name: "Example.COM.", type: .a)],
            answers: [ResourceRecord(owner: "example.com.", ttl: 1, A(IPv4Address(192, 0, 2, 1)))]
        )
        let wire = message.wire
        #expect(Array(wire[29..<31]) == [0xC0, 0x0C])
        let decoded = try Message(wire: wire)
        #expect(decoded.questions[0].name.description == "Example.COM.")
        #expect(decoded.answers[0].owner.description == "Example.COM.")   // the pointer brings the question's case
    }

    @Test func queryBytes() {
        let query = Message.query(id: 0x1234, name: "example.com.", type: .a, dnssec: true)
        #expect(query.wire == hex("""
            1234 0100 0001 0000 0000 0001
            076578616d706c6503636f6d00 0001 0001
            00 0029 04d0 00008000 0000
            """))
        let plain = Message.query(id: 7, name: .root, type: .ns, recursionDesired: false, checkingDisabled: true)
        #expect(Array(plain.wire[2..<4]) == [0x00, 0x10])
    }

    @Test func headerFlagsRoundTrip() throws {
        let header = MessageHeader(id: 0xBEEF, isResponse: true, opcode: Opcode(rawValue: 5), isAuthoritative: true,
                                   isTruncated: true, recursionDesired: true, recursionAvailable: true, zBit: true,
                                   authenticData: true, checkingDisabled: true, rcode: .nxDomain)
        #expect(header.flagsWord == 0xAFF3)
        #expect(MessageHeader(id: 0xBEEF, flagsWord: 0xAFF3) == header)
        #expect(try Message(wire: Message(header: header).wire).header == header)
    }

    @Test func unknownTypesRoundTripOpaquely() throws {
        // RDATA of an unknown type that happens to look like a pointer is not decompressed.
        let record = ResourceRecord(owner: "example.com.", ttl: 5, rdata: RData(UnknownRData(bytes: [0xC0, 0x0C]), type: RRType(65280)))
        let message = Message(answers: [record])
        let decoded = try Message(wire: message.wire)
        #expect(decoded == message)
        #expect(decoded.answers[0].presentation == "example.com.\t5\tIN\tTYPE65280\t\\# 2 C00C")
    }

    @Test func malformedMessages() {
        func code(_ bytes: [UInt8]) -> DNSWireError.Code? {
            do {
                _ = try Message(wire: bytes)
                return nil
            } catch {
                return error.code
            }
        }
        let header = hex("0001 8000 0000 0000 0000 0000")
        #expect(code(header) == nil)
        #expect(code(Array(header.prefix(11))) == .truncated)
        #expect(code(hex("0001 8000 0001 0000 0000 0000")) == .tooManyRecords)
        #expect(code(hex("0001 8000 ffff ffff ffff ffff")) == .tooManyRecords)
        #expect(code(header + [0]) == .trailingBytes)
        let answerHeader = hex("0001 8000 0000 0001 0000 0000")
        #expect(code(answerHeader + hex("00 0001 0001 00000000 0005 c0000201")) == .truncated)
        #expect(code(answerHeader + hex("00 0001 0001 00000000 0005 c000020100")) == .rdataLengthMismatch)
        #expect(code(answerHeader + hex("00 0001 0001 00000000 0003 c00002")) == .rdataLengthMismatch)
        // The MX exchange starts at offset 25: a pointer there to 25 loops, to 26 points forward.
        #expect(code(answerHeader + hex("00 000f 0001 00000000 0004 000a c019")) == .pointerLoop)
        #expect(code(answerHeader + hex("00 000f 0001 00000000 0004 000a c01a")) == .forwardPointer)
        #expect(code(answerHeader + hex("00 000f 0001 00000000 0004 000a c000")) == nil)   // offset 0 holds a 0: the root
        let opt = hex("00 0029 1000 00000000 0000")
        #expect(code(hex("0001 8000 0000 0000 0000 0002") + opt + opt) == .duplicateOPT)
        #expect(code(hex("0001 8000 0000 0000 0000 0001") + hex("0161 00 0029 1000 00000000 0000")) == .badOPT)
        #expect(code(hex("0001 8000 0000 0000 0000 0001") + hex("00 0029 1000 00000000 0003 000f00")) == .rdataLengthMismatch)
    }

    @Test func neverTrapsOnMutatedMessages() throws {
        let message = Message(
            header: MessageHeader(id: 1, isResponse: true),
            questions: [Question(name: "example.com.", type: .mx)],
            answers: [ResourceRecord(owner: "example.com.", ttl: 3600, MX(preference: 10, exchange: "mail.example.com."))],
            edns: EDNS(options: [EDNSOption(ExtendedDNSError(infoCode: .dnssecBogus, extraText: "x"))])
        )
        let wire = message.wire
        var generator = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            var mutated = wire
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                mutated[Int(generator.next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next() % 4 == 0 { mutated.removeLast(Int(generator.next() % UInt64(mutated.count))) }
            _ = try? Message(wire: mutated)
        }
    }
}

@Suite struct RFC6891_EDNSTests {
    @Test func optRecordLayoutAndFlags() throws {
        let message = Message(header: MessageHeader(id: 9), edns: EDNS(udpPayloadSize: 4096, version: 0, dnssecOK: true))
        let wire = message.wire
        #expect(Array(wire.suffix(11)) == hex("00 0029 1000 00008000 0000"))
        let decoded = try Message(wire: wire)
        #expect(decoded.edns == EDNS(udpPayloadSize: 4096, dnssecOK: true))
        #expect(decoded.additional.isEmpty)
        #expect(try Message(wire: Message(header: MessageHeader(id: 9)).wire).edns == nil)
    }

    @Test func extendedRCodeIsSplitBetweenHeaderAndOPT() throws {
        let message = Message(header: MessageHeader(id: 2, isResponse: true, rcode: .badVers), edns: EDNS(version: 1, otherFlags: 0x0001))
        let wire = message.wire
        #expect(wire[3] & 0x0F == 0)                              // BADVERS is 16: low bits 0
        #expect(Array(wire.suffix(11)) == hex("00 0029 04d0 01010001 0000"))
        let decoded = try Message(wire: wire)
        #expect(decoded.header.rcode == .badVers)
        #expect(decoded.edns?.version == 1)
        #expect(decoded.edns?.otherFlags == 1)
        #expect(decoded.edns?.dnssecOK == false)
        #expect(RCode(headerBits: 0, extendedBits: 1) == .badVers)
        #expect(RCode.badCookie.headerBits == 7 && RCode.badCookie.extendedBits == 1)
    }
}

@Suite struct RFC8914_ExtendedDNSErrorTests {
    @Test func optionLayout() throws {
        let ede = ExtendedDNSError(infoCode: .dnssecBogus, extraText: "sig expired")
        let option = EDNSOption(ede)
        #expect(option.code == .extendedDNSError)
        #expect(option.data == [0x00, 0x06] + Array("sig expired".utf8))
        let message = Message(header: MessageHeader(id: 3, isResponse: true, rcode: .servFail),
                              edns: EDNS(options: [option, EDNSOption(ExtendedDNSError(infoCode: .networkError))]))
        let wire = message.wire
        #expect(Array(wire.suffix(11 + 4 + 13 + 4 + 2)) == hex("00 0029 04d0 00000000 0017") + hex("000f 000d 0006") + Array("sig expired".utf8) + hex("000f 0002 0017"))
        let decoded = try Message(wire: wire)
        #expect(decoded.edns?.extendedDNSErrors == [ede, ExtendedDNSError(infoCode: .networkError)])
        #expect(decoded.header.rcode == .servFail)
    }

    @Test func readingIsTolerant() {
        let nul = EDNSOption(code: .extendedDNSError, data: [0x00, 0x12] + Array("no".utf8) + [0])
        #expect(nul.extendedDNSError == ExtendedDNSError(infoCode: .prohibited, extraText: "no"))
        #expect(EDNSOption(code: .extendedDNSError, data: [0x00]).extendedDNSError == nil)
        #expect(EDNSOption(code: .padding, data: [0, 0]).extendedDNSError == nil)
        let unknownCode = EDNSOption(code: .extendedDNSError, data: [0x01, 0x00])
        #expect(unknownCode.extendedDNSError?.infoCode == ExtendedDNSErrorCode(256))
    }

    @Test func descriptions() {
        #expect(ExtendedDNSError(infoCode: .dnssecBogus, extraText: "x").description == "6 (DNSSEC Bogus): x")
        #expect(ExtendedDNSErrorCode(999).description == "999")
        #expect(EDNSOption(ExtendedDNSError(infoCode: .staleAnswer)).description == "EDE=3 (Stale Answer)")
        #expect(EDNSOption(code: .nsid, data: [0xAB]).description == "NSID=AB")
        #expect(EDNSOptionCode(65001).description == "OPT65001")
    }

    /// RFC 1035 §4.1.1: the FORMERR for an unreadable body keeps the query's ID, opcode and
    /// RD; a short header gets none.
    @Test func formatErrorReplyKeepsIDOpcodeAndRD() throws {
        let reply = try #require(Message.formatErrorReply(toQuery: [0xAB, 0xCD, 0x01 | 0x10, 0x00] + Array(repeating: 0xFF, count: 8)))
        #expect(reply.header.id == 0xABCD)
        #expect(reply.header.isResponse)
        #expect(reply.header.recursionDesired)
        #expect(reply.header.opcode == Opcode(rawValue: 2))
        #expect(reply.header.rcode == .formErr)
        #expect(reply.questions.isEmpty)
        #expect(Message.formatErrorReply(toQuery: [0xAB, 0xCD, 0x01]) == nil)
    }
}
