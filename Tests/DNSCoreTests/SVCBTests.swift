import Testing
@testable import DNSCore

@Suite struct RFC9460_AppendixD_Tests {
    @Test func validVectorsParseToTheRFCWireBytes() throws {
        let vectors = try rdataVectors("rfc9460/appendix-D-valid.txt")
        #expect(vectors.count == 9)
        for vector in vectors {
            let wire = try #require(vector.wire, "\(vector)")
            for (type, text) in vector.texts {
                let rdata = try RData(type: type, text: text)
                #expect(rdata.type == type)
                #expect(rdata.wire == wire, "\(vector): \(text)")
                #expect(rdata.as(SVCB.self) != nil)
            }
        }
    }

    @Test func validVectorsDecodeAndPrintAsLDNSDoes() throws {
        for vector in try rdataVectors("rfc9460/appendix-D-valid.txt") {
            let wire = try #require(vector.wire)
            let type = try #require(vector.texts.first).type
            let decoded = try decodeRData(type, wire)
            #expect(decoded.presentation == vector.printed, "\(vector)")
            #expect(decoded.wire == wire)
            let reparsed = try RData(type: type, text: decoded.presentation)
            #expect(reparsed == decoded, "\(vector)")
            // Cut anywhere but between params, the RDATA is malformed.
            let svcb = try #require(decoded.as(SVCB.self))
            var boundaries: Set<Int> = [2 + svcb.target.wire.count]
            var end = 2 + svcb.target.wire.count
            for param in svcb.params {
                end += 4 + param.value.count
                boundaries.insert(end)
            }
            for count in 0..<wire.count where !boundaries.contains(count) {
                #expect(wireErrorCode(type, Array(wire.prefix(count))) != nil, "\(vector): first \(count) octets")
            }
        }
    }

    @Test func figure10HasTheTwoItemsOfTheRFC() throws {
        let svcb = try #require(try RData(type: .svcb, text: #"16 foo.example.org. alpn="f\\\\oo\\,bar,h2""#).as(SVCB.self))
        #expect(svcb.alpnIDs == [Array(#"f\oo,bar"#.utf8), Array("h2".utf8)])
    }

    @Test func figure9SortsKeysAndMandatoryList() throws {
        let svcb = try #require(try RData(type: .svcb, text: "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1").as(SVCB.self))
        #expect(svcb.params.map(\.key) == [.mandatory, .alpn, .ipv4Hint])
        #expect(svcb.mandatoryKeys == [.alpn, .ipv4Hint])
        #expect(svcb.ipv4Hints == [IPv4Address(192, 0, 2, 1)])
        #expect(svcb.priority == 16)
        #expect(!svcb.isAliasMode)
    }

    @Test func figure2IsAliasModeOfHTTPS() throws {
        let rdata = try RData(type: .https, text: "0 foo.example.com.")
        let https = try #require(rdata.as(HTTPS.self))
        #expect(https.isAliasMode)
        #expect(https.target == "foo.example.com.")
        #expect(https.params.isEmpty)
    }

    @Test func failureCasesAreRejected() throws {
        let lines = try rdataLines("rfc9460/appendix-D3-failures.txt")
        #expect(lines.count == 10)
        for (type, text) in lines {
            #expect(presentationErrorCode(type, text) == .badValue, "\(text)")
            #expect(presentationErrorCode(.https, text) == .badValue, "\(text) as HTTPS")
        }
    }
}

@Suite struct RFC9460_2_2_WireFormatTests {
    let fooExampleCom = "03666f6f076578616d706c6503636f6d00"

    @Test func keysMustBeStrictlyIncreasing() {
        // port (3) then alpn (1)
        #expect(wireErrorCode(.svcb, hex("0001 00 0003 0002 01bb 0001 0003 026832")) == .badRDATA)
        // port twice
        #expect(wireErrorCode(.svcb, hex("0001 00 0003 0002 01bb 0003 0002 01bc")) == .badRDATA)
        #expect(wireErrorCode(.svcb, hex("0001 00 0001 0003 026832 0003 0002 01bb")) == nil)
    }

    @Test func compressedTargetNameIsRejected() throws {
        // A message-like buffer: "foo.example.com." at 0, then SVCB RDATA whose target points at it.
        let name = hex(fooExampleCom)
        let rdata = hex("0001 c000")
        var reader = WireReader(name + rdata, offset: name.count)
        #expect(throws: DNSWireError.self) { try RData(type: .svcb, length: rdata.count, from: &reader) }
        var again = WireReader(name + rdata, offset: name.count)
        do {
            _ = try RData(type: .svcb, length: rdata.count, from: &again)
        } catch {
            #expect(error.code == .badRDATA)
        }
        // The same pointer is fine in SRV, which receivers decompress (RFC 3597 §4).
        let srv = hex("0001 0002 0003 c000")
        var srvReader = WireReader(name + srv, offset: name.count)
        let decoded = try RData(type: .srv, length: srv.count, from: &srvReader)
        #expect(decoded.as(SRV.self)?.target == "foo.example.com.")
    }

    @Test func registeredKeysMustHaveTheirFormat() {
        let bad = [
            "0000 0000",                 // mandatory empty
            "0000 0003 000100",          // mandatory odd length
            "0000 0002 0000",            // mandatory lists itself
            "0000 0004 0003 0001 0001 0003 026832 0003 0002 01bb", // mandatory not increasing
            "0000 0004 0001 0001 0001 0003 026832",                // mandatory repeats a key
            "0001 0000",                 // alpn empty
            "0001 0003 036832",          // alpn item runs past the value
            "0001 0003 00 6832",         // alpn zero-length item
            "0002 0001 00",              // no-default-alpn with a value
            "0003 0001 01",              // port of 1 octet
            "0003 0003 000001",          // port of 3 octets
            "0004 0000",                 // ipv4hint empty
            "0004 0005 c000020101",      // ipv4hint not a multiple of 4
            "0006 0000",                 // ipv6hint empty
            "0006 0004 20010db8",        // ipv6hint short
            "0008 0001 00",              // ohttp with a value
            "0000 0002 0003",            // mandatory lists port, which is absent
            "0002 0000",                 // no-default-alpn without alpn
        ]
        for params in bad {
            #expect(wireErrorCode(.svcb, hex("0001 00" + params)) == .badRDATA, "\(params)")
            #expect(wireErrorCode(.https, hex("0001 00" + params)) == .badRDATA, "\(params)")
        }
    }

    @Test func unknownKeysAndOpaqueValuesAreAccepted() throws {
        let wire = hex("0001 00 0005 0000 0007 0001 2f 0009 0002 abcd fffe 0000")
        let rdata = try decodeRData(.svcb, wire)
        #expect(rdata.presentation == "1 . ech dohpath=/ key9=\\171\\205 key65534")
        #expect(try RData(type: .svcb, text: rdata.presentation) == rdata)
    }

    @Test func truncatedParamsAreLengthErrors() {
        #expect(wireErrorCode(.svcb, hex("0001 00 0003")) == .rdataLengthMismatch)
        #expect(wireErrorCode(.svcb, hex("0001 00 0003 0002 01")) == .rdataLengthMismatch)
        #expect(wireErrorCode(.svcb, hex("00")) == .rdataLengthMismatch)
        #expect(wireErrorCode(.svcb, hex("0001")) == .rdataLengthMismatch)
    }

    @Test func targetIsNeverCompressedOnSendNorLowercasedInCanonicalForm() throws {
        let svcb = try SVCB(priority: 1, target: "Foo.Example.com.", params: [.port(443)])
        let record = ResourceRecord(owner: "foo.example.com.", ttl: 300, svcb)
        let message = Message(header: MessageHeader(id: 1, isResponse: true), answers: [record, record])
        let wire = message.wire
        // The second owner is compressed, but the TargetName appears in full both times.
        let target = nameWire("Foo.Example.com.")
        var count = 0
        for start in 0...(wire.count - target.count) where Array(wire[start..<(start + target.count)]) == target { count += 1 }
        #expect(count == 2)
        #expect(try Message(wire: wire) == message)
        #expect(RData(svcb).canonicalWire == RData(svcb).wire)
    }

    @Test func httpsSharesTheLayoutButKeepsItsType() throws {
        let wire = hex("0001 00 0001 0003 026832")
        let https = try decodeRData(.https, wire)
        let svcb = try decodeRData(.svcb, wire)
        #expect(https.type == .https)
        #expect(svcb.type == .svcb)
        #expect(https != svcb)
        #expect(https.value.isEqual(to: svcb.value))
        #expect(RData.format(for: .https) == SVCB.self)
    }
}

@Suite struct RFC9460_2_1_PresentationTests {
    @Test func quotedAndUnquotedValuesAreTheSame() throws {
        let forms = [
            #"1 . alpn=h2,h3 port=8443"#,
            #"1 . alpn="h2,h3" port="8443""#,
            #"1 . port=8443 alpn=h\050,h3"#,
            #"1 . alpn="h2,h3" port=8443"#,
        ]
        let expected = try RData(type: .svcb, text: forms[0])
        for form in forms { #expect(try RData(type: .svcb, text: form) == expected, "\(form)") }
        #expect(expected.presentation == "1 . alpn=h2,h3 port=8443")
    }

    @Test func aTokenizerThatKeepsQuotesInsideTheTokenIsHandled() throws {
        let token = PresentationToken(text: Array(#"alpn="h2,h3""#.utf8)[...], isQuoted: false, line: 1, column: 5)
        var scanner = PresentationScanner(tokens: [
            PresentationToken(text: Array("1".utf8)[...], isQuoted: false, line: 1, column: 1),
            PresentationToken(text: Array(".".utf8)[...], isQuoted: false, line: 1, column: 3),
            token,
        ], origin: nil)
        let svcb = try SVCB(presentation: &scanner)
        #expect(svcb.alpnIDs == [Array("h2".utf8), Array("h3".utf8)])
        for bad in [#"alpn="h2"#, #"alpn="h2\""#, #"alpn=""#] {
            var badScanner = PresentationScanner(tokens: [
                PresentationToken(text: Array("1".utf8)[...], isQuoted: false, line: 1, column: 1),
                PresentationToken(text: Array(".".utf8)[...], isQuoted: false, line: 1, column: 3),
                PresentationToken(text: Array(bad.utf8)[...], isQuoted: false, line: 1, column: 5),
            ], origin: nil)
            do {
                _ = try SVCB(presentation: &badScanner)
                Issue.record("parsed \(bad)")
            } catch {
                #expect(error.code == .unbalancedQuote, "\(bad)")
            }
        }
    }

    @Test func targetNameUsesTheOrigin() throws {
        let origin: DomainName = "example.net."
        #expect(try RData(type: .svcb, text: "1 svc", origin: origin).as(SVCB.self)?.target == "svc.example.net.")
        #expect(try RData(type: .svcb, text: "0 @", origin: origin).as(SVCB.self)?.target == origin)
        #expect(presentationErrorCode(.svcb, "1 svc") == .badName)
    }

    @Test func keyNames() {
        #expect(SVCParamKey("alpn") == .alpn)
        #expect(SVCParamKey("no-default-alpn") == .noDefaultALPN)
        #expect(SVCParamKey("ohttp") == .ohttp)
        #expect(SVCParamKey("key0") == .mandatory)
        #expect(SVCParamKey("key65535") == .invalidKey)
        #expect(SVCParamKey("key65536") == nil)
        #expect(SVCParamKey("key01") == nil)
        #expect(SVCParamKey("key") == nil)
        #expect(SVCParamKey("keyx") == nil)
        #expect(SVCParamKey("ALPN") == nil)
        #expect(SVCParamKey("") == nil)
        #expect(SVCParamKey(667).description == "key667")
        #expect(SVCParamKey.dohPath.description == "dohpath")
        #expect(SVCParamKey.port < SVCParamKey.ech)
    }

    @Test func numericNamesOfRegisteredKeysUseTheirFormat() throws {
        let rdata = try RData(type: .svcb, text: "1 . key3=443 key1=h2")
        #expect(rdata.presentation == "1 . alpn=h2 port=443")
        #expect(presentationErrorCode(.svcb, "1 . key3=https") == .badValue)
        #expect(presentationErrorCode(.svcb, "1 . port=443 key3=444") == .badValue)
    }

    @Test func badValues() {
        let bad = [
            "1 . port=65536", "1 . port=-1", "1 . port=", #"1 . port="""#,
            "1 . ipv4hint=192.0.2.256", "1 . ipv4hint=192.0.2.1,", "1 . ipv4hint=,192.0.2.1",
            "1 . ipv6hint=2001:db8::g", "1 . ipv6hint=192.0.2.1",
            "1 . alpn=h2,,h3", #"1 . alpn=h2\\"#, #"1 . alpn=a\\b"#, "1 . alpn=",
            "1 . ech=AAA", "1 . ech=!!!!",
            "1 . ohttp=1", #"1 . no-default-alpn="x""#,
            "1 . mandatory=bogus alpn=h2", "1 . mandatory=alpn,", "1 . mandatory=port",
            "1 . nokey=1", "1 . Port=443", "1 . key01=1", #"1 . "alpn=h2""#, "1 . =h2", "1 . no-default-alpn",
            #"1 . alpn="h2" "h3""#,
        ]
        for text in bad { #expect(presentationErrorCode(.svcb, text) == .badValue, "\(text)") }
        #expect(presentationErrorCode(.svcb, #"1 . key9=\"#) == .badString)
        #expect(presentationErrorCode(.svcb, "1") == .missingField)
        #expect(presentationErrorCode(.svcb, "") == .missingField)
        #expect(presentationErrorCode(.svcb, "65536 .") == .badNumber)
    }

    @Test func emptyValuesEqualBareKeys() throws {
        let bare = try RData(type: .svcb, text: "1 . alpn=h2 no-default-alpn key1000 ohttp")
        #expect(try RData(type: .svcb, text: #"1 . alpn=h2 no-default-alpn= key1000="" ohttp="""#) == bare)
        #expect(bare.presentation == "1 . alpn=h2 no-default-alpn ohttp key1000")
        #expect(bare.as(SVCB.self)?.noDefaultALPN == true)
    }

    @Test func valuesNeedingQuotesArePrintedQuoted() throws {
        try roundTrip(.svcb, #"1 . key667="hello world""#)
        #expect(try RData(type: .svcb, text: #"1 . key667="hello world""#).presentation == #"1 . key667="hello world""#)
        #expect(try RData(type: .svcb, text: #"1 . key667=a\;b"#).presentation == #"1 . key667="a;b""#)
        #expect(try RData(type: .svcb, text: #"1 . key667=\"q\"\009"#).presentation == #"1 . key667=\"q\"\009"#)
        #expect(try RData(type: .svcb, text: #"1 . alpn="h 2""#).presentation == #"1 . alpn="h 2""#)
    }

    @Test func alpnEscapesRoundTrip() throws {
        for ids in [[#"a,b"#], [#"a\b"#, "c"], [#"\"#, ","], ["h2", "h3-29", "http/1.1"], ["\u{1}\u{7F}"]] {
            let svcb = try SVCB(priority: 1, target: .root, params: [.alpn(ids)])
            let text = svcb.presentation
            let back = try #require(try RData(type: .svcb, text: text).as(SVCB.self))
            #expect(back == svcb, "\(ids) printed \(text)")
        }
    }

    @Test func echAndDoHPathAndHints() throws {
        let ech = "AEX+DQBBpQAgACCW2/dfOBZAtQU55/KYxUYStyuA6Yg+1Sjqb4o1q7HY0wAEAAEAAQASY2xvdWRmbGFyZS1lY2guY29tAAA="
        let text = "1 . alpn=h3,h2 ech=\(ech) ipv6hint=2606:4700::6810:84e5,::ffff:198.51.100.100 ipv4hint=104.16.132.229,104.16.133.229 dohpath=/dns-query{?dns}"
        let rdata = try roundTrip(.https, text)
        let https = try #require(rdata.as(HTTPS.self))
        #expect(https.echConfigList == Base64.decode(Array(ech.utf8)))
        #expect(https.ipv4Hints.count == 2)
        #expect(https.ipv6Hints.map(\.description) == ["2606:4700::6810:84e5", "::ffff:198.51.100.100"])
        #expect(https[.dohPath]?.value == Array("/dns-query{?dns}".utf8))
        #expect(rdata.presentation == "1 . alpn=h3,h2 ipv4hint=104.16.132.229,104.16.133.229 ech=\(ech) ipv6hint=2606:4700::6810:84e5,::ffff:198.51.100.100 dohpath=/dns-query{?dns}")
    }

    @Test func errorsPointAtTheOffendingParam() throws {
        do {
            _ = try RData(type: .svcb, text: "1 . alpn=h2 port=x")
            Issue.record("parsed")
        } catch {
            #expect(error.code == .badValue)
            #expect(error.column == 13)
        }
        do {
            _ = try RData(type: .svcb, text: "1 . alpn=h2 mandatory=port")
            Issue.record("parsed")
        } catch {
            #expect(error.column == 13)
        }
    }

    @Test func genericFormIsValidated() throws {
        #expect(try RData(type: .svcb, text: ##"\# 3 000100"##).presentation == "1 .")
        #expect(presentationErrorCode(.svcb, ##"\# 5 0001000000"##) == .badValue)
    }
}

@Suite struct SVCBConstructionTests {
    @Test func paramsAreSortedAndChecked() throws {
        let svcb = try SVCB(priority: 2, target: "svc.example.", params: [.port(8443), .alpn(["h2"]), .mandatory([.port, .alpn])])
        #expect(svcb.params.map(\.key) == [.mandatory, .alpn, .port])
        #expect(svcb.port == 8443)
        #expect(svcb.presentation == "2 svc.example. mandatory=alpn,port alpn=h2 port=8443")
        #expect(svcb.alpnIDs == [Array("h2".utf8)])
        #expect(svcb[.ech] == nil)
        #expect(svcb.echConfigList == nil)
    }

    @Test func invalidParamSetsThrow() {
        func code(_ params: [SVCParam]) -> SVCB.ParamsError.Code? {
            do {
                _ = try SVCB(priority: 1, target: .root, params: params)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code([.port(1), .port(2)]) == .duplicateKey)
        #expect(code([SVCParam(key: .port, value: [1])]) == .malformedValue)
        #expect(code([.mandatory([.ech])]) == .missingMandatoryKey)
        #expect(code([SVCParam(key: SVCParamKey(9), value: [UInt8](repeating: 0, count: 65_530))]) == .tooLong)
        #expect(code([.mandatory([.mandatory])]) == .malformedValue)
        #expect(code([.ipv4Hint([])]) == .malformedValue)
        #expect(code([.noDefaultALPN]) == .noDefaultALPNWithoutALPN)
        #expect(code([.noDefaultALPN, .alpn(["h3"]), .ohttp, .ech([]), .dohPath("/q{?dns}")]) == nil)
    }

    @Test func typedAccessorsRejectOtherKeys() {
        #expect(SVCParam.port(1).alpnIDs == nil)
        #expect(SVCParam.alpn(["h2"]).portNumber == nil)
        #expect(SVCParam.alpn(["h2"]).mandatoryKeys == nil)
        #expect(SVCParam.port(1).ipv4Addresses == nil)
        #expect(SVCParam.port(1).ipv6Addresses == nil)
        #expect(SVCParam(key: .mandatory, value: [0]).mandatoryKeys == nil)
    }
}
