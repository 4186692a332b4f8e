import Testing
@testable import DNSCore

@Suite struct RFC8659_4_1_CAATests {
    @Test func wireAndPresentation() throws {
        let rdata = try roundTrip(.caa, #"0 issue "ca.example.net""#)
        #expect(rdata.wire == [0, 5] + Array("issue".utf8) + Array("ca.example.net".utf8))
        #expect(rdata.presentation == #"0 issue "ca.example.net""#)
        let caa = try #require(rdata.as(CAA.self))
        #expect(caa.tag == .issue)
        #expect(!caa.isIssuerCritical)
    }

    /// The output of BIND 9.18 and ldns 1.8.3 for the same inputs.
    @Test func printsLikeBINDAndLDNS() throws {
        let cases = [
            (#"128 tbs "Unknown \"x\"""#, #"128 tbs "Unknown \"x\"""#),
            (#"0 iodef "mailto:security@example.com""#, #"0 iodef "mailto:security@example.com""#),
            (#"0 issue ";""#, #"0 issue ";""#),
            (#"0 Issue """#, #"0 Issue """#),
            ("0 issue ca.example.net", #"0 issue "ca.example.net""#),
        ]
        for (input, output) in cases {
            #expect(try RData(type: .caa, text: input).presentation == output)
            try roundTrip(.caa, input)
        }
        #expect(try RData(type: .caa, text: "128 tbs x").as(CAA.self)?.isIssuerCritical == true)
    }

    @Test func tagsMatchCaseInsensitivelyButKeepTheirSpelling() throws {
        let upper = try #require(try RData(type: .caa, text: #"0 ISSUE "x""#).as(CAA.self))
        #expect(upper.tag == .issue)
        #expect(upper.tag.hashValue == CAA.Tag.issue.hashValue)
        #expect(upper.tag.description == "ISSUE")
        #expect(CAA.Tag("issuewild") == .issueWild)
        #expect(CAA.Tag("issue-wild") == nil)
        #expect(CAA.Tag("") == nil)
        #expect(CAA.Tag(String(repeating: "a", count: 255)) != nil)
        #expect(CAA.Tag(String(repeating: "a", count: 256)) == nil)
    }

    @Test func valueMayExceed255Octets() throws {
        let long = String(repeating: "v", count: 1000)
        let caa = try #require(try roundTrip(.caa, "0 tbs \"\(long)\"").as(CAA.self))
        #expect(caa.value.count == 1000)
    }

    @Test func malformedWire() {
        #expect(wireErrorCode(.caa, [0, 0]) == .badRDATA)                               // empty tag
        #expect(wireErrorCode(.caa, [0, 3] + Array("i-e".utf8)) == .badRDATA)           // not alphanumeric
        #expect(wireErrorCode(.caa, [0, 5] + Array("iss".utf8)) == .rdataLengthMismatch) // tag runs past the end
        #expect(wireErrorCode(.caa, [0]) == .rdataLengthMismatch)
        #expect(wireErrorCode(.caa, []) == .rdataLengthMismatch)
        #expect(wireErrorCode(.caa, [0, 5] + Array("issue".utf8)) == nil)                // empty value
    }

    @Test func malformedPresentation() {
        #expect(presentationErrorCode(.caa, "256 issue x") == .badNumber)
        #expect(presentationErrorCode(.caa, "0 is-sue x") == .badValue)
        #expect(presentationErrorCode(.caa, #"0 "issue" x"#) == .badValue)
        #expect(presentationErrorCode(.caa, "0 issue") == .missingField)
        #expect(presentationErrorCode(.caa, "0 issue a b") == .trailingData)
        #expect(presentationErrorCode(.caa, #"0 issue "\999""#) == .badString)
        let huge = String(repeating: "v", count: 65_530)
        #expect(presentationErrorCode(.caa, "0 issue \(huge)") == .badString)
    }

    @Test func programmaticConstruction() {
        let caa = CAA(flags: CAA.issuerCriticalFlag, tag: .iodef, value: "mailto:x@example.com")
        #expect(caa.presentation == #"128 iodef "mailto:x@example.com""#)
        #expect(RData(caa).type == .caa)
    }
}
