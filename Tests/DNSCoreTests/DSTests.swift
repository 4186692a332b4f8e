import DNSCore
import Testing

@Suite struct RFC4034_5_DSTests {
    static let rfcText = "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"
    static let rfcWire = hex("EC45 05 01 2BB183AF5F22588179A53B0A98631FAD1A292118")

    /// RFC 4034 §5.4: the DS for dskey.example.com.'s key 60485.
    @Test func rfc4034Section5_4Example() throws {
        let records = try Vectors.records("rfc4034/examples.zone", type: .ds)
        let record = try #require(records.first)
        #expect(record.rdata == Self.rfcText)
        let rdata = try record.parse()
        let ds = try #require(rdata.as(DS.self))
        #expect(ds.keyTag == 60485)
        #expect(ds.algorithm == .rsaSHA1)
        #expect(ds.digestType == .sha1)
        #expect(ds.digest == hex("2BB183AF5F22588179A53B0A98631FAD1A292118"))
        #expect(ds.hasExpectedDigestLength == true)
        #expect(rdata.wire == Self.rfcWire)
        #expect(rdata.canonicalWire == Self.rfcWire)
        #expect(try decodeRData(.ds, Self.rfcWire) == rdata)
        #expect(rdata.presentation == Self.rfcText)
    }

    /// Every DS of the vector files prints back as written (hex uppercased) and has the length
    /// its digest type defines.
    @Test(arguments: ["rfc4034/examples.zone", "rfc5155/appendix-A.zone", "rfc6605/ecdsa.zone", "rfc8080/eddsa.zone", "root-anchors/root-anchors.zone"])
    func vectorRecordsRoundTrip(_ path: String) throws {
        let records = try Vectors.records(path, type: .ds)
        #expect(!records.isEmpty)
        for record in records {
            let rdata = try record.parse()
            let ds = try #require(rdata.as(DS.self))
            #expect(ds.hasExpectedDigestLength == true, "\(record)")
            #expect(rdata.presentation == record.rdata.uppercased(), "\(record)")
            #expect(try decodeRData(.ds, rdata.wire) == rdata)
        }
    }

    @Test func rootAnchorsParse() throws {
        let tags = try Vectors.records("root-anchors/root-anchors.zone", type: .ds).map { try #require($0.parse().as(DS.self)).keyTag }
        #expect(tags == [20326, 38696])
    }

    @Test func algorithmMnemonicIsAcceptedAndPrintedAsANumber() throws {
        for text in ["60485 RSASHA1 1 2BB183AF5F22588179A53B0A98631FAD1A292118", "60485 rsasha1 1 2bb183af5f22588179a53b0a98631fad1a292118"] {
            #expect(try RData(type: .ds, text: text).presentation == Self.rfcText)
        }
    }

    @Test func digestMayBeSplitIntoChunks() throws {
        let split = try RData(type: .ds, text: "60485 5 1 2BB183AF 5F22588179A53B0A9863\t1FAD1A292118")
        #expect(split.wire == Self.rfcWire)
    }

    @Test func unknownDigestTypesAndLengthsRoundTrip() throws {
        let rdata = try RData(type: .ds, text: "1 253 200 00FF")
        let ds = try #require(rdata.as(DS.self))
        #expect(ds.hasExpectedDigestLength == nil)
        #expect(rdata.presentation == "1 253 200 00FF")
        let short = try #require(RData(type: .ds, text: "1 8 2 00FF").as(DS.self))
        #expect(short.hasExpectedDigestLength == false)
    }

    @Test func genericFormConvertsToTheLayout() throws {
        let rdata = try RData(type: .ds, text: "\\# 24 EC4505012BB183AF5F22588179A53B0A98631FAD1A292118")
        #expect(rdata.presentation == Self.rfcText)
    }

    @Test(arguments: [
        ("", PresentationError.Code.missingField),
        ("60485", .missingField),
        ("60485 5", .missingField),
        ("60485 5 1", .missingField),
        ("65536 5 1 00", .badNumber),
        ("-1 5 1 00", .badNumber),
        ("60485 NOSUCHALG 1 00", .badValue),
        ("60485 256 1 00", .badValue),
        ("60485 5 SHA1 00", .badNumber),
        ("60485 5 1 0", .badHex),
        ("60485 5 1 0G", .badHex),
        ("60485 5 1 \"\"", .badHex),
        ("\"60485\" 5 1 00", .badNumber),
    ])
    func malformedText(_ text: String, code: PresentationError.Code) {
        #expect(presentationErrorCode(.ds, text) == code)
    }

    @Test(arguments: ["", "EC", "EC45", "EC4505", "EC450501"])
    func truncatedWire(_ text: String) {
        #expect(wireErrorCode(.ds, hex(text)) == .rdataLengthMismatch)
    }
}

@Suite struct RFC7344_CDSTests {
    @Test func cdsUsesTheDSLayout() throws {
        #expect(layout(.cds) == ObjectIdentifier(DS.self))
        let rdata = try RData(type: .cds, text: RFC4034_5_DSTests.rfcText)
        #expect(rdata.type == .cds)
        #expect(rdata.as(CDS.self)?.keyTag == 60485)
        #expect(rdata.wire == RFC4034_5_DSTests.rfcWire)
        let decoded = try decodeRData(.cds, RFC4034_5_DSTests.rfcWire)
        #expect(decoded == rdata)
        #expect(decoded != (try RData(type: .ds, text: RFC4034_5_DSTests.rfcText)))
    }

    /// RFC 8078 §4: `0 0 0 00` asks the parent to delete the DS RRset.
    @Test func rfc8078Section4DeleteForm() throws {
        let rdata = try RData(type: .cds, text: "0 0 0 00")
        let cds = try #require(rdata.as(CDS.self))
        #expect(cds.isDeleteForm)
        #expect(cds == .delete)
        #expect(rdata.wire == [0, 0, 0, 0, 0])
        #expect(rdata.presentation == "0 0 0 00")
        #expect(RData(CDS.delete, type: .cds).description == "CDS 0 0 0 00")
        #expect(try #require(RData(type: .cds, text: "0 0 0 0000").as(CDS.self)).isDeleteForm == false)
        #expect(try #require(RData(type: .cds, text: RFC4034_5_DSTests.rfcText).as(CDS.self)).isDeleteForm == false)
    }
}
