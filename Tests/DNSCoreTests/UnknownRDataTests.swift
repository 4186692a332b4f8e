import Testing
@testable import DNSCore

@Suite struct RFC3597_5_GenericRDataTests {
    @Test func section5Examples() throws {
        let vectors = try rdataVectors("rfc3597/section-5.txt")
        #expect(vectors.count == 4)
        for vector in vectors {
            for (type, text) in vector.texts {
                let rdata = try RData(type: type, text: text)
                #expect(rdata.wire == vector.wire, "\(vector)")
                #expect(rdata.presentation == vector.printed, "\(vector)")
                #expect(try decodeRData(type, rdata.wire) == rdata)
                #expect(try RData(type: type, text: rdata.presentation) == rdata)
            }
        }
    }

    @Test func knownTypesInGenericFormBecomeTheirLayout() throws {
        let a = try RData(type: .a, text: ##"\# 4 0A000001"##)
        #expect(a.as(A.self)?.address == IPv4Address(10, 0, 0, 1))
        let mx = try RData(type: .mx, text: ##"\# 5 000a 01 6d 00"##)
        #expect(mx.presentation == "10 m.")
        #expect(RRType(mnemonic: "TYPE731") == RRType(731))
        #expect(RRType(mnemonic: "type1") == .a)
        #expect(RRType(mnemonic: "TYPE65536") == nil)
        #expect(RRType(731).description == "TYPE731")
        #expect(RRClass(mnemonic: "CLASS32") == RRClass(32))
    }

    @Test func malformedGenericForms() {
        #expect(presentationErrorCode(.txt, ##"\# 2 abcdef"##) == .badValue)       // length disagrees
        #expect(presentationErrorCode(RRType(731), ##"\# 2 abcdef"##) == .badValue)
        #expect(presentationErrorCode(RRType(731), ##"\# 3 abc"##) == .badHex)
        #expect(presentationErrorCode(RRType(731), ##"\# 1 zz"##) == .badHex)
        #expect(presentationErrorCode(RRType(731), ##"\#"##) == .missingField)
        #expect(presentationErrorCode(RRType(731), ##"\# 1"##) == .missingField)
        #expect(presentationErrorCode(RRType(731), ##"\# -1 00"##) == .badNumber)
        #expect(presentationErrorCode(RRType(731), ##"\# 65536 00"##) == .badNumber)
        #expect(presentationErrorCode(RRType(731), ##"\# 0 ff"##) == .trailingData)
        #expect(presentationErrorCode(.a, ##"\# 0 ff"##) == .trailingData)
        #expect(presentationErrorCode(.a, ##"\# 3 0a0000"##) == .badValue)       // not valid A RDATA
        #expect(presentationErrorCode(.txt, ##"\# 0"##) == .badValue)            // empty TXT is malformed
        #expect(presentationErrorCode(RRType(731), "abc") == .unknownType)
    }

    @Test func unknownTypesKeepTheirOctets() throws {
        let bytes: [UInt8] = [0, 1, 0xFF, 0xC0, 0x0C]
        let rdata = try decodeRData(RRType(4000), bytes)
        #expect(rdata.as(UnknownRData.self)?.bytes == bytes)
        #expect(rdata.presentation == ##"\# 5 0001FFC00C"##)
        #expect(try decodeRData(RRType(4000), []).presentation == ##"\# 0"##)
        #expect(rdata.canonicalWire == bytes)
        #expect(rdata.description == ##"TYPE4000 \# 5 0001FFC00C"##)
    }
}

@Suite struct PresentationScannerDurationTests {
    @Test func parseDuration() {
        let cases: [(String, UInt32?)] = [
            ("3600", 3600), ("0", 0), ("1h", 3600), ("1h30m", 5400), ("1w2d3h4m5s", 788_645), ("2W", 1_209_600),
            ("1D", 86400), ("90s", 90), ("4294967295", .max), ("7101w", 4_294_684_800), ("1m1m", 120),
            ("4294967296", nil), ("7102w", nil), ("1h30", nil), ("h", nil), ("", nil), ("1x", nil), ("1hh", nil),
            ("-1", nil), ("1.5h", nil), (" 1h", nil), ("99999999999s", nil),
        ]
        for (text, expected) in cases {
            #expect(PresentationScanner.parseDuration(Array(text.utf8)[...]) == expected, "\(text)")
        }
    }

    @Test func scannerField() throws {
        var scanner = try PresentationScanner(text: #"1h "1h" x"#)
        #expect(try scanner.duration("refresh") == 3600)
        #expect(throws: PresentationError.self) { try scanner.duration("retry") }
        let soa = try RData(type: .soa, text: "ns.example. admin.example. 2024010101 1h 15m 1w 1d")
        #expect(soa.presentation == "ns.example. admin.example. 2024010101 3600 900 604800 86400")
        #expect(presentationErrorCode(.soa, "ns. admin. 1h 1h 1h 1h 1h") == .badNumber)   // the serial has no units
    }
}

@Suite struct PresentationScannerTokenTests {
    @Test func tokensQuotesAndColumns() throws {
        let scanner = try PresentationScanner(text: #"a "b c"  d\ e "" f"#)
        #expect(scanner.tokens.map(\.string) == ["a", "b c", #"d\ e"#, "", "f"])
        #expect(scanner.tokens.map(\.isQuoted) == [false, true, false, true, false])
        #expect(scanner.tokens.map(\.column) == [1, 3, 10, 15, 18])
        #expect(throws: PresentationError.self) { try PresentationScanner(text: #"a "b"#) }
        #expect(throws: PresentationError.self) { try PresentationScanner(text: #""b\""#) }
    }

    @Test func errorsLocateTheToken() throws {
        do {
            _ = try RData(type: .mx, text: "10 a..b.")
            Issue.record("parsed")
        } catch {
            #expect(error.code == .badName)
            #expect(error.line == 1 && error.column == 4)
        }
        do {
            _ = try RData(type: .mx, text: "10")
            Issue.record("parsed")
        } catch {
            #expect(error.code == .missingField)
            #expect(error.column == 3)
        }
        #expect(presentationErrorCode(.mx, "65536 a.") == .badNumber)
        #expect(presentationErrorCode(.mx, #""10" a."#) == .badNumber)
        #expect(presentationErrorCode(.mx, "18446744073709551616 a.") == .badNumber)
        #expect(presentationErrorCode(.a, "10.0.0.1 x") == .trailingData)
    }
}

/// RDLENGTH is 16 bits (RFC 1035 §3.2.1): text that would need more is refused, not trapped on.
@Test func rdataOverSixtyFourKiBFromTextIsAnError() {
    let chunk = String(repeating: "A", count: 60_000)
    let text = "256 3 8 " + chunk + chunk
    #expect(presentationErrorCode(.dnskey, text) == .badValue)
}
