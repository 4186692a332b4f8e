import DNSCore
import Testing

@Suite struct RFC4034_3_RRSIGTests {
    static let section3_3Text = "A 5 3 86400 20030322173103 20030220173103 2642 example.com. oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o="
    /// The fields before the signature: type A, algorithm 5, 3 labels, TTL 86400, the two
    /// times, key tag 2642, example.com. (as dnspython 2.9.2 writes them).
    static let section3_3Fields = hex("0001 05 03 00015180 3E7C9DD7 3E5510D7 0A52 076578616D706C6503636F6D00")
    static let section3_3Signature = hex("""
        A090755BA58D1AFFA576F4375831B4310920E481218D18A9F164EB3D81AFD3B875D3C75428631E0CF2A28D50875F70C329D7DBFAFEA807
        DC1FBA1DC34C95D401F23F334CE63BFCF3F1B5B44739E5F0EDED18D6B33F040A911376D173D757A9F0C1FA1798941BB0B36B2DF9062790
        FA7F0166F2737EEA907378341FB12DC0A77A
        """)

    @Test func rfc4034Section3_3Example() throws {
        let record = try #require(Vectors.records("rfc4034/examples.zone", type: .rrsig).first)
        #expect(record.rdata == Self.section3_3Text)
        let rdata = try record.parse()
        let rrsig = try #require(rdata.as(RRSIG.self))
        #expect(rrsig.typeCovered == .a)
        #expect(rrsig.algorithm == .rsaSHA1)
        #expect(rrsig.labels == 3)
        #expect(rrsig.originalTTL == 86400)
        #expect(rrsig.expiration == 1_048_354_263)
        #expect(rrsig.inception == 1_045_762_263)
        #expect(rrsig.keyTag == 2642)
        #expect(rrsig.signerName == "example.com.")
        #expect(rrsig.signature == Self.section3_3Signature)
        #expect(rdata.wire == Self.section3_3Fields + Self.section3_3Signature)
        #expect(rrsig.signedFieldsWire == Self.section3_3Fields)
        #expect(try decodeRData(.rrsig, rdata.wire) == rdata)
        #expect(rdata.presentation == Self.section3_3Text)
    }

    /// RFC 8080 §6 writes the times as seconds; they print as dates (20150819220000 is
    /// 1440021600).
    @Test func rfc8080DecimalTimes() throws {
        let records = try Vectors.records("rfc8080/eddsa.zone", type: .rrsig)
        #expect(records.count == 4)
        for record in records {
            let rdata = try record.parse()
            let rrsig = try #require(rdata.as(RRSIG.self))
            #expect(rrsig.expiration == 1_440_021_600 && rrsig.inception == 1_438_207_200)
            let expected = record.rdata.replacingOccurrences(of: "1440021600 1438207200", with: "20150819220000 20150729220000")
            #expect(rdata.presentation == expected)
        }
    }

    /// Every RRSIG of the signed example zones parses and prints as written, the signature's
    /// base64 lines joined into one.
    @Test(arguments: [("rfc4035/appendix-A.zone", 27), ("rfc5155/appendix-A.zone", 30), ("rfc6605/ecdsa.zone", 2)])
    func vectorRecordsRoundTrip(_ path: String, count: Int) throws {
        let records = try Vectors.records(path, type: .rrsig)
        #expect(records.count == count)
        for record in records {
            let tokens = record.rdata.split(separator: " ")
            let expected = tokens.prefix(8).joined(separator: " ") + " " + tokens.dropFirst(8).joined()
            let rdata = try record.parse()
            #expect(rdata.presentation == expected, "\(record)")
            #expect(try decodeRData(.rrsig, rdata.wire) == rdata)
            #expect(try RData(type: .rrsig, text: rdata.presentation) == rdata)
        }
    }

    @Test func mnemonicsUnitsAndGenericTypes() throws {
        let rdata = try RData(type: .rrsig, text: "type1234 ed25519 2 1h 4294967295 0 65535 . AA==")
        let rrsig = try #require(rdata.as(RRSIG.self))
        #expect(rrsig.typeCovered == RRType(1234))
        #expect(rrsig.algorithm == .ed25519)
        #expect(rrsig.originalTTL == 3600)
        #expect(rdata.presentation == "TYPE1234 15 2 3600 21060207062815 19700101000000 65535 . AA==")
    }

    @Test func relativeSignerNameUsesTheOrigin() throws {
        let rdata = try RData(type: .rrsig, text: "MX 8 2 3600 20300101000000 20200101000000 1 @ AA==", origin: "example.org.")
        #expect(rdata.as(RRSIG.self)?.signerName == "example.org.")
    }

    @Test func emptySignatureRoundTrips() throws {
        let text = "A 5 3 86400 20030322173103 20030220173103 2642 example.com."
        let rdata = try RData(type: .rrsig, text: text)
        #expect(rdata.as(RRSIG.self)?.signature == [])
        #expect(rdata.wire == Self.section3_3Fields)
        #expect(rdata.presentation == text)
        #expect(try decodeRData(.rrsig, Self.section3_3Fields) == rdata)
    }

    /// RFC 4034 §3.1.7: the signer's name is never compressed; §6.2: it is lowercased in the
    /// canonical form, but keeps its case otherwise.
    @Test func signerNameIsNeverCompressedAndCanonicallyLowercased() throws {
        let mixed = try RData(type: .rrsig, text: Self.section3_3Text.replacingOccurrences(of: "example.com.", with: "Example.COM."))
        #expect(mixed.canonicalWire == Self.section3_3Fields + Self.section3_3Signature)
        #expect(mixed.wire != mixed.canonicalWire)
        #expect(mixed.presentation.contains(" Example.COM. "))

        var writer = WireWriter(mode: .message)
        writer.writeOwnerName("example.com.")
        let before = writer.count
        mixed.encode(to: &writer)
        #expect(Array(writer.bytes[before...]) == mixed.wire)
    }

    /// A compressed signer name is still read (BIND accepts one).
    @Test func compressedSignerNameIsAccepted() throws {
        let owner = try DomainName(parsing: "example.com.").wire
        let rdata: [UInt8] = Array(Self.section3_3Fields.dropLast(13)) + [0xC0, 0x00] + Self.section3_3Signature
        var reader = WireReader(owner + rdata, offset: owner.count)
        let decoded = try RData(type: .rrsig, length: rdata.count, from: &reader)
        #expect(decoded.as(RRSIG.self)?.signerName == "example.com.")
        #expect(decoded.wire == Self.section3_3Fields + Self.section3_3Signature)
    }

    @Test(arguments: [
        ("", PresentationError.Code.missingField),
        ("A 5 3 86400 20030322173103 20030220173103 2642", .missingField),
        ("BOGUS 5 3 86400 20030322173103 20030220173103 2642 example.com. AA==", .badValue),
        ("\"A\" 5 3 86400 20030322173103 20030220173103 2642 example.com. AA==", .badValue),
        ("A 256 3 86400 20030322173103 20030220173103 2642 example.com. AA==", .badValue),
        ("A 5 256 86400 20030322173103 20030220173103 2642 example.com. AA==", .badNumber),
        ("A 5 3 86400x 20030322173103 20030220173103 2642 example.com. AA==", .badNumber),
        ("A 5 3 86400 2003032217310 20030220173103 2642 example.com. AA==", .badValue),
        ("A 5 3 86400 20030322173103 21070101000000 2642 example.com. AA==", .badValue),
        ("A 5 3 86400 20030322173103 20030220173103 65536 example.com. AA==", .badNumber),
        ("A 5 3 86400 20030322173103 20030220173103 2642 example..com. AA==", .badName),
        ("A 5 3 86400 20030322173103 20030220173103 2642 example.com. AA=A", .badBase64),
    ])
    func malformedText(_ text: String, code: PresentationError.Code) {
        #expect(presentationErrorCode(.rrsig, text) == code)
    }

    /// Every cut before the end of the signer's name is an error; after it, the rest is the
    /// signature.
    @Test func truncatedWire() throws {
        let wire = Self.section3_3Fields + Self.section3_3Signature
        for length in 0..<Self.section3_3Fields.count {
            #expect(wireErrorCode(.rrsig, Array(wire.prefix(length))) == .rdataLengthMismatch, "length \(length)")
        }
        for length in Self.section3_3Fields.count...wire.count {
            #expect(wireErrorCode(.rrsig, Array(wire.prefix(length))) == nil, "length \(length)")
        }
    }
}
