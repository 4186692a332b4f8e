import DNSCore
import Testing

@Suite struct RFC5155_4_NSEC3PARAMTests {
    /// RFC 5155 Appendix A's `example. NSEC3PARAM 1 0 12 aabbccdd` (wire form from dnspython
    /// 2.9.2).
    @Test func appendixARecord() throws {
        let record = try #require(Vectors.records("rfc5155/appendix-A.zone", type: .nsec3param).first)
        #expect(record.rdata == "1 0 12 aabbccdd")
        let rdata = try record.parse()
        #expect(rdata.as(NSEC3PARAM.self) == NSEC3PARAM(hashAlgorithm: .sha1, flags: 0, iterations: 12, salt: [0xAA, 0xBB, 0xCC, 0xDD]))
        #expect(rdata.wire == hex("01 00 000C 04 AABBCCDD"))
        #expect(try decodeRData(.nsec3param, rdata.wire) == rdata)
        #expect(rdata.presentation == "1 0 12 aabbccdd")
    }

    @Test func emptySalt() throws {
        let rdata = try RData(type: .nsec3param, text: "1 0 0 -")
        #expect(rdata.as(NSEC3PARAM.self)?.salt == [])
        #expect(rdata.wire == hex("01 00 0000 00"))
        #expect(rdata.presentation == "1 0 0 -")
        #expect(try decodeRData(.nsec3param, rdata.wire) == rdata)
    }

    @Test func saltCaseAndFullLength() throws {
        let salt = String(repeating: "Ab", count: 255)
        let rdata = try RData(type: .nsec3param, text: "2 1 65535 \(salt)")
        #expect(rdata.as(NSEC3PARAM.self)?.salt.count == 255)
        #expect(rdata.presentation == "2 1 65535 \(salt.lowercased())")
        #expect(try decodeRData(.nsec3param, rdata.wire) == rdata)
    }

    @Test(arguments: [
        ("", PresentationError.Code.missingField),
        ("1 0 12", .missingField),
        ("1 0 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .trailingData),
        ("1 0 12 abc", .badHex),
        ("1 0 12 \(String(repeating: "00", count: 256))", .badValue),
        ("1 0 -1 -", .badNumber),
    ])
    func malformedText(_ text: String, code: PresentationError.Code) {
        #expect(presentationErrorCode(.nsec3param, text) == code)
    }

    @Test(arguments: [
        "", "01", "01 00 00", "01 00 000C", "01 00 000C 04 AABBCC",
        "01 00 000C 04 AABBCCDD EE",  // an octet after the salt
    ])
    func malformedWire(_ text: String) {
        #expect(wireErrorCode(.nsec3param, hex(text)) == .rdataLengthMismatch)
    }
}
