import Testing
@testable import DNSCore

@Suite struct RFC1035_3_3_14_TXTTests {
    @Test func wireAndPresentation() throws {
        let rdata = try RData(type: .txt, text: #""v=spf1 -all" plain "" "a\"b\\c""#)
        let txt = try #require(rdata.as(TXT.self))
        #expect(txt.strings.map(\.bytes) == [Array("v=spf1 -all".utf8), Array("plain".utf8), [], Array(#"a"b\c"#.utf8)])
        #expect(rdata.wire == [11] + Array("v=spf1 -all".utf8) + [5] + Array("plain".utf8) + [0, 5] + Array(#"a"b\c"#.utf8))
        #expect(rdata.presentation == #""v=spf1 -all" "plain" "" "a\"b\\c""#)
        try roundTrip(.txt, #""v=spf1 -all" plain "" "a\"b\\c""#)
    }

    /// The output of `named-checkzone -o -` (BIND 9.18) for the same input.
    @Test func printsLikeBIND() throws {
        let rdata = try RData(type: .txt, text: #""a\"b\\c" "" "tab"# + "\t" + #"x" "\255\000é" abc"#)
        #expect(rdata.presentation == #""a\"b\\c" "" "tab\009x" "\255\000\195\169" "abc""#)
        #expect(try RData(type: .txt, text: #""semi;colon(paren)" "@$""#).presentation == #""semi;colon(paren)" "@$""#)
    }

    @Test func singleEmptyStringIsFine() throws {
        let rdata = try RData(type: .txt, text: #""""#)
        #expect(rdata.wire == [0])
        #expect(try decodeRData(.txt, [0]).presentation == #""""#)
    }

    @Test func emptyRDATAIsMalformed() {
        #expect(wireErrorCode(.txt, []) == .badRDATA)
        #expect(presentationErrorCode(.txt, "") == .missingField)
        #expect(TXT(strings: []) == nil)
    }

    @Test func malformedWire() {
        #expect(wireErrorCode(.txt, [3, 0x61, 0x62]) == .rdataLengthMismatch)
        #expect(wireErrorCode(.txt, [1, 0x61, 2]) == .rdataLengthMismatch)
        #expect(wireErrorCode(.txt, [0, 0, 0]) == nil)
    }

    @Test func longStringsAreRejectedNotSplit() {
        let long = String(repeating: "x", count: 256)
        #expect(presentationErrorCode(.txt, long) == .badString)
        #expect(presentationErrorCode(.txt, String(repeating: "x", count: 255)) == nil)
        #expect(presentationErrorCode(.txt, #""abc"#) == .unbalancedQuote)
        #expect(presentationErrorCode(.txt, #"abc\"#) == .badString)
        #expect(presentationErrorCode(.txt, #"\25"#) == .badString)
        #expect(presentationErrorCode(.txt, #"\256"#) == .badString)
    }

    @Test func rdataOver65535OctetsIsRejected() throws {
        // 256 strings of 255 octets take 65,536 octets on the wire; one octet less fits.
        let full = Array(repeating: String(repeating: "x", count: 255), count: 255)
        let over = (full + [String(repeating: "x", count: 255)]).joined(separator: " ")
        #expect(presentationErrorCode(.txt, over) == .badString)
        let fits = (full + [String(repeating: "x", count: 254)]).joined(separator: " ")
        let rdata = try RData(type: .txt, text: fits)
        #expect(rdata.wire.count == 65_535)
    }

    @Test func splittingLongText() throws {
        let text = [UInt8](repeating: 0x41, count: 600)
        let txt = try #require(TXT(splitting: text))
        #expect(txt.strings.map(\.bytes.count) == [255, 255, 90])
        #expect(txt.joined == text)
        #expect(TXT(splitting: [])?.strings == [.empty])
        #expect(TXT(splitting: [UInt8](repeating: 1, count: 255))?.strings.count == 1)
        #expect(TXT("hello").presentation == #""hello""#)
        // 256 full strings take 65,536 octets; 255 full ones and 254 more octets fit exactly.
        let most = try #require(TXT(splitting: [UInt8](repeating: 1, count: 255 * 255 + 254)))
        #expect(RData(most).wire.count == 65_535)
        #expect(TXT(splitting: [UInt8](repeating: 1, count: 255 * 256)) == nil)
        let full = CharacterString(bytes: [UInt8](repeating: 1, count: 255))!
        #expect(TXT(strings: Array(repeating: full, count: 256)) == nil)
        #expect(TXT(strings: Array(repeating: full, count: 255)) != nil)
    }
}

@Suite struct RFC1035_3_3_2_HINFOTests {
    @Test func wireAndPresentation() throws {
        let rdata = try roundTrip(.hinfo, #""PC Intel" Linux"#)
        #expect(rdata.presentation == #""PC Intel" "Linux""#)
        #expect(rdata.wire == [8] + Array("PC Intel".utf8) + [5] + Array("Linux".utf8))
        let hinfo = try #require(rdata.as(HINFO.self))
        #expect(hinfo.cpu == "PC Intel")
        #expect(hinfo.os == "Linux")
    }

    /// RFC 8482 §4.2's answer to ANY.
    @Test func rfc8482Answer() throws {
        let hinfo = HINFO(cpu: "RFC8482", os: .empty)
        #expect(hinfo.presentation == #""RFC8482" """#)
        #expect(try RData(type: .hinfo, text: #""RFC8482" """#) == RData(hinfo))
    }

    @Test func malformed() {
        #expect(presentationErrorCode(.hinfo, "cpu") == .missingField)
        #expect(presentationErrorCode(.hinfo, "cpu os extra") == .trailingData)
        #expect(wireErrorCode(.hinfo, [1, 0x61]) == .rdataLengthMismatch)
        #expect(wireErrorCode(.hinfo, [1, 0x61, 0, 0]) == .rdataLengthMismatch)
        #expect(wireErrorCode(.hinfo, [0, 0]) == nil)
        expectEveryTruncationFails(.hinfo, [1, 0x61, 1, 0x62])
        #expect(RData(HINFO(cpu: "x", os: "y")).canonicalWire == [1, 0x78, 1, 0x79])
    }
}
