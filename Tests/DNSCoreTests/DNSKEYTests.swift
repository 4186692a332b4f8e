import DNSCore
import Testing

@Suite struct RFC4034_2_DNSKEYTests {
    static let section2_3Text = "256 3 5 AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmvHjcZc8nokfzj31GajIQKY+5CptLr3buXA10hWqTkF7H6RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEzOJBOztyvhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w=="
    /// The wire form of the §2.3 key, as dnspython 2.9.2 writes it.
    static let section2_3Wire = hex("""
        010003050103D22A6CA77F35B893206FD35E4C506D8378843709B97E041647E1BFF43D8D64C649AF1E371973C9E891FCE3DF519A8C84
        0A63EE42A6D2EBDDBB97035D215AA4E417B1FA45FA11A9741EA2098C1DFA5FB5FEB332FD4BC8152089AEF36BA644CCE2413B3B72BE18
        CBEF8DA253F4E93D2103866D9234A2E28DF529A67D5468DBEFE3
        """)

    @Test func rfc4034Section2_3Example() throws {
        let record = try #require(Vectors.records("rfc4034/examples.zone", type: .dnskey).first)
        #expect(record.rdata == Self.section2_3Text)
        let rdata = try record.parse()
        let key = try #require(rdata.as(DNSKEY.self))
        #expect(key.flags == 256)
        #expect(key.isZoneKey && !key.isSecureEntryPoint && !key.isRevoked)
        #expect(key.protocol == 3)
        #expect(key.algorithm == .rsaSHA1)
        #expect(key.publicKey.count == 130)
        #expect(key.keyTag == 2642)
        #expect(rdata.wire == Self.section2_3Wire)
        #expect(try decodeRData(.dnskey, Self.section2_3Wire) == rdata)
        #expect(rdata.presentation == Self.section2_3Text)
    }

    @Test func publicKeyMayBeSplitAndAlgorithmNamed() throws {
        let split = try RData(type: .dnskey, text: "256 3 RSASHA1 AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmvHjcZc8nokfzj31GajIQKY+5CptLr3buX A10hWqTkF7H6RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEzOJBOztyvhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w==")
        #expect(split.wire == Self.section2_3Wire)
        #expect(split.presentation == Self.section2_3Text)
    }

    @Test func flagAccessors() {
        var key = DNSKEY(flags: 0, algorithm: .rsaSHA256, publicKey: [1, 2, 3])
        key.isZoneKey = true
        #expect(key.flags == 256)
        key.isSecureEntryPoint = true
        #expect(key.flags == 257)
        key.isRevoked = true
        #expect(key.flags == 385)
        key.isZoneKey = false
        #expect(key.flags == 129)
        key.isRevoked = false
        key.isSecureEntryPoint = false
        #expect(key.flags == 0)
        #expect(DNSKEY.zoneKeyFlag == 1 << (15 - 7) && DNSKEY.revokeFlag == 1 << (15 - 8) && DNSKEY.secureEntryPointFlag == 1 << (15 - 15))
    }

    @Test func emptyPublicKeyRoundTrips() throws {
        let rdata = try RData(type: .dnskey, text: "256 3 8")
        #expect(rdata.as(DNSKEY.self)?.publicKey == [])
        #expect(rdata.wire == hex("0100 03 08"))
        #expect(rdata.presentation == "256 3 8")
        #expect(try decodeRData(.dnskey, rdata.wire) == rdata)
    }

    @Test func unusualValuesRoundTrip() throws {
        let rdata = try RData(type: .dnskey, text: "65535 255 254 AA==")
        #expect(rdata.presentation == "65535 255 254 AA==")
        #expect(rdata.wire == hex("FFFF FF FE 00"))
    }

    @Test(arguments: [
        ("", PresentationError.Code.missingField),
        ("256", .missingField),
        ("256 3", .missingField),
        ("65536 3 8 AA==", .badNumber),
        ("256 256 8 AA==", .badNumber),
        ("256 3 ED25519X AA==", .badValue),
        ("256 3 8 AA=", .badBase64),
        ("256 3 8 A!==", .badBase64),
        ("256 3 8 AA== AA==", .badBase64),
    ])
    func malformedText(_ text: String, code: PresentationError.Code) {
        #expect(presentationErrorCode(.dnskey, text) == code)
    }

    @Test(arguments: ["", "01", "0100", "010003"])
    func truncatedWire(_ text: String) {
        #expect(wireErrorCode(.dnskey, hex(text)) == .rdataLengthMismatch)
    }
}

@Suite struct RFC4034_AppendixB_KeyTagTests {
    /// The DNSKEYs of each vector file, in file order, with the key tags their sources give
    /// (RFC 4034 §2.3 and §5.4; RFC 4035 App. A; RFC 5155 App. A; RFC 6605 §6; RFC 8080 §6;
    /// IANA root anchors).
    static let files: [(String, [UInt16])] = [
        ("rfc4034/examples.zone", [2642, 60485]),
        ("rfc4035/appendix-A.zone", [38519, 9465]),
        ("rfc5155/appendix-A.zone", [40430, 12708]),
        ("rfc6605/ecdsa.zone", [55648, 10771]),
        ("rfc8080/eddsa.zone", [3613, 35217, 9713, 38353]),
        ("root-anchors/root-anchors.zone", [20326, 38696]),
    ]

    @Test(arguments: files)
    func vectorKeyTags(_ path: String, tags: [UInt16]) throws {
        let keys = try Vectors.records(path, type: .dnskey).map { try #require($0.parse().as(DNSKEY.self)) }
        #expect(keys.map(\.keyTag) == tags)
    }

    /// Every DS and RRSIG of a vector file names, by key tag and algorithm, a DNSKEY of the
    /// same file (where the file has the key).
    @Test(arguments: files)
    func dsAndRRSIGPointAtKeys(_ path: String, tags: [UInt16]) throws {
        let keys = try Vectors.records(path, type: .dnskey).map { try #require($0.parse().as(DNSKEY.self)) }
        let known = Set(keys.map { "\($0.keyTag)/\($0.algorithm.rawValue)" })
        let records = try Vectors.records(in: Vectors.text(path))
        var checked = 0
        for record in records where record.type == .ds || record.type == .rrsig {
            let rdata = try record.parse()
            let pointer: String
            if let ds = rdata.as(DS.self) {
                // RFC 4035 and 5155 carry DS records for child keys they do not print.
                guard record.owner != "a.example." else { continue }
                pointer = "\(ds.keyTag)/\(ds.algorithm.rawValue)"
            } else {
                let rrsig = try #require(rdata.as(RRSIG.self))
                // RFC 4034 §3.3's RRSIG is made by the §2.3 key; the others by keys in their file.
                pointer = "\(rrsig.keyTag)/\(rrsig.algorithm.rawValue)"
            }
            #expect(known.contains(pointer), "\(record)")
            checked += 1
        }
        #expect(checked > 0)
    }

    /// RFC 5011 §7: the REVOKE bit changes the tag (KSK-2017 revoked would be 20326 + 128).
    @Test func revokedKeyHasAnotherTag() throws {
        var key = try #require(Vectors.records("root-anchors/root-anchors.zone", type: .dnskey).first?.parse().as(DNSKEY.self))
        #expect(key.keyTag == 20326)
        key.isRevoked = true
        #expect(key.flags == 385)
        #expect(key.keyTag == 20454)  // dnspython 2.9.2 dns.dnssec.key_id agrees
    }

    /// Small keys checked against dnspython 2.9.2's `key_id`: an odd-length RDATA, and one
    /// whose sum carries past 16 bits.
    @Test func oddLengthAndCarry() throws {
        #expect(try #require(RData(type: .dnskey, text: "257 3 8 AQAB").as(DNSKEY.self)).keyTag == 1545)
        #expect(try #require(RData(type: .dnskey, text: "257 3 8 AwE=").as(DNSKEY.self)).keyTag == 1802)
        let ones = DNSKEY(flags: 256, algorithm: .rsaSHA256, publicKey: [UInt8](repeating: 0xFF, count: 65))
        #expect(ones.keyTag == 777)
        #expect(DNSKEY.delete.keyTag == 768)
    }

    /// RFC 4034 Appendix B.1: for algorithm 1 the tag is the 3rd- and 2nd-to-last octets of the
    /// key (the top 16 of the modulus's low 24 bits), not the checksum.
    @Test func algorithm1UsesTheModulus() throws {
        let text = RFC4034_2_DNSKEYTests.section2_3Text.replacingOccurrences(of: "256 3 5 ", with: "256 3 1 ")
        let key = try #require(RData(type: .dnskey, text: text).as(DNSKEY.self))
        #expect(key.publicKey.suffix(3) == [0xDB, 0xEF, 0xE3])
        #expect(key.keyTag == 0xDBEF)  // 56303, as dnspython 2.9.2 computes
        #expect(DNSKEY(flags: 256, algorithm: .rsaMD5, publicKey: [0xAB, 0xCD, 0xEF]).keyTag == 0xABCD)
        #expect(DNSKEY(flags: 256, algorithm: .rsaMD5, publicKey: [0xAB, 0xCD]).keyTag == 0)
        #expect(DNSKEY(flags: 256, algorithm: .rsaMD5, publicKey: []).keyTag == 0)
    }
}

@Suite struct RFC7344_CDNSKEYTests {
    @Test func cdnskeyUsesTheDNSKEYLayout() throws {
        #expect(layout(.cdnskey) == ObjectIdentifier(DNSKEY.self))
        let rdata = try RData(type: .cdnskey, text: RFC4034_2_DNSKEYTests.section2_3Text)
        #expect(rdata.type == .cdnskey)
        #expect(rdata.as(CDNSKEY.self)?.keyTag == 2642)
        #expect(try decodeRData(.cdnskey, RFC4034_2_DNSKEYTests.section2_3Wire) == rdata)
    }

    /// RFC 8078 §4: `0 3 0 AA==` asks the parent to delete the DS RRset.
    @Test func rfc8078Section4DeleteForm() throws {
        let rdata = try RData(type: .cdnskey, text: "0 3 0 AA==")
        let key = try #require(rdata.as(CDNSKEY.self))
        #expect(key.isDeleteForm && key == .delete)
        #expect(rdata.wire == hex("0000 03 00 00"))
        #expect(rdata.presentation == "0 3 0 AA==")
        #expect(try #require(RData(type: .cdnskey, text: "0 3 0 AAA=").as(CDNSKEY.self)).isDeleteForm == false)
    }
}
