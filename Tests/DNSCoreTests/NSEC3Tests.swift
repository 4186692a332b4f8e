import DNSCore
import Testing

@Suite struct RFC5155_3_NSEC3Tests {
    /// A handful of RFC 5155 Appendix A's NSEC3 RDATA, their parenthesized lines joined by
    /// hand, with the wire form dnspython 2.9.2 gives and the text ldns-read-zone 1.8 prints.
    static let handJoined: [(text: String, wire: [UInt8], printed: String)] = [
        (
            "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG",
            hex("01 01 000C 04 AABBCCDD 14 174EB2409FE28BCB4887A1836F957F0A8425E27B 0007 2201000000 0290"),
            "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM"
        ),
        (
            "1 1 12 aabbccdd k8udemvp1j2f7eg6jebps17vp3n8i58h",
            hex("01 01 000C 04 AABBCCDD 14 A23CD75BF90CC4F3BA069B979E04FFC8EE891511"),
            "1 1 12 aabbccdd k8udemvp1j2f7eg6jebps17vp3n8i58h"
        ),
    ]

    static let moreHandJoined = [
        "1 1 12 aabbccdd 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG",
        "1 1 12 aabbccdd b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG",
        "1 1 12 aabbccdd ji6neoaepv8b5o6k4ev33abha8ht9fgc HINFO A AAAA RRSIG",
        "1 1 12 aabbccdd 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom HINFO A AAAA RRSIG",
    ]

    @Test(arguments: handJoined)
    func appendixARecords(text: String, wire: [UInt8], printed: String) throws {
        var scanner = try PresentationScanner(text: text)
        let nsec3 = try NSEC3(presentation: &scanner)
        #expect(scanner.isAtEnd)
        #expect(nsec3.hashAlgorithm == .sha1)
        #expect(nsec3.isOptOut)
        #expect(nsec3.iterations == 12)
        #expect(nsec3.salt == [0xAA, 0xBB, 0xCC, 0xDD])
        #expect(nsec3.nextHashedOwnerName.count == 20)
        let rdata = RData(nsec3)
        #expect(rdata.wire == wire)
        #expect(rdata.canonicalWire == wire)
        #expect(try decodeRData(.nsec3, wire) == rdata)
        #expect(rdata.presentation == printed)
    }

    @Test(arguments: moreHandJoined)
    func moreAppendixARecordsRoundTrip(_ text: String) throws {
        let rdata = try RData(type: .nsec3, text: text)
        #expect(try decodeRData(.nsec3, rdata.wire) == rdata)
        #expect(try RData(type: .nsec3, text: rdata.presentation) == rdata)
        #expect(rdata.presentation.hasPrefix(String(text.prefix(49))))
    }

    /// All 12 NSEC3 records of Appendix A form one ring in hash order: each names the hash of
    /// the next owner, the last the first (RFC 5155 §7.1).
    @Test func appendixAFormsARing() throws {
        let records = try Vectors.records("rfc5155/appendix-A.zone", type: .nsec3)
        #expect(records.count == 12)
        var next: [String: String] = [:]
        for record in records {
            let rdata = try record.parse()
            let nsec3 = try #require(rdata.as(NSEC3.self))
            #expect(nsec3.isOptOut && nsec3.flags == 1)
            let hashLabel = String(try #require(record.owner.split(separator: ".").first))
            #expect(Base32Hex.decode(Array(hashLabel.utf8))?.count == 20)
            next[hashLabel] = Base32Hex.encode(nsec3.nextHashedOwnerName, uppercase: false)
            #expect(try decodeRData(.nsec3, rdata.wire) == rdata)
            #expect(try RData(type: .nsec3, text: rdata.presentation) == rdata)
        }
        let sorted = next.keys.sorted()
        #expect(sorted.count == 12)
        for (i, owner) in sorted.enumerated() {
            #expect(next[owner] == sorted[(i + 1) % sorted.count], "after \(owner)")
        }
    }

    @Test func hashInputIsCaseInsensitiveAndPrintedLowercase() throws {
        let upper = try RData(type: .nsec3, text: "1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A")
        #expect(upper.presentation == "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A")
    }

    @Test func emptySaltIsADash() throws {
        let rdata = try RData(type: .nsec3, text: "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr")
        let nsec3 = try #require(rdata.as(NSEC3.self))
        #expect(nsec3.salt == [] && !nsec3.isOptOut && nsec3.types.isEmpty)
        #expect(rdata.wire == hex("01 00 0000 00 14 174EB2409FE28BCB4887A1836F957F0A8425E27B"))
        #expect(rdata.presentation == "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr")
    }

    @Test func optOutAccessorAndUnknownValues() throws {
        var nsec3 = NSEC3(hashAlgorithm: NSEC3HashAlgorithm(200), flags: 0xFE, iterations: 65535, salt: [UInt8](repeating: 0xAB, count: 255),
                          nextHashedOwnerName: [UInt8](repeating: 0xFF, count: 255), types: [RRType(65535)])
        #expect(!nsec3.isOptOut)
        nsec3.isOptOut = true
        #expect(nsec3.flags == 0xFF)
        let rdata = RData(nsec3)
        #expect(try decodeRData(.nsec3, rdata.wire) == rdata)
        #expect(try RData(type: .nsec3, text: rdata.presentation) == rdata)
        #expect(rdata.presentation.hasPrefix("200 255 65535 abab"))
        nsec3.isOptOut = false
        #expect(nsec3.flags == 0xFE)
    }

    @Test(arguments: [
        ("", PresentationError.Code.missingField),
        ("1 1 12 aabbccdd", .missingField),
        ("256 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .badNumber),
        ("1 256 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .badNumber),
        ("1 1 65536 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .badNumber),
        ("1 1 12 aabbccd 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .badHex),      // odd salt
        ("1 1 12 xx 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .badHex),
        ("1 1 12 \"-\" 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .badHex),
        ("1 1 12 \(String(repeating: "ab", count: 256)) 2t7b4g4vsa5smi47k61mv5bv1a22bojr", .badValue),
        ("1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojw", .badValue),   // w is not base32hex
        ("1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22boj", .badValue),    // 31 characters
        ("1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr====", .badValue),
        ("1 1 12 aabbccdd -", .badValue),
        ("1 1 12 aabbccdd \"\"", .badValue),                                 // hash length 0
        ("1 1 12 aabbccdd \(String(repeating: "0", count: 416)) A", .badValue), // 260 octets
        ("1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A BOGUS", .badValue),
    ])
    func malformedText(_ text: String, code: PresentationError.Code) {
        #expect(presentationErrorCode(.nsec3, text) == code)
    }

    @Test(arguments: [
        ("", DNSWireError.Code.rdataLengthMismatch),
        ("01 01 00", .rdataLengthMismatch),
        ("01 01 000C", .rdataLengthMismatch),                        // no salt length
        ("01 01 000C 08 AABBCCDD", .rdataLengthMismatch),            // salt length says 8, 4 left
        ("01 01 000C 04 AABBCCDD", .rdataLengthMismatch),            // no hash length
        ("01 01 000C 04 AABBCCDD 00", .badRDATA),                    // hash length 0
        ("01 01 000C 04 AABBCCDD 14 174EB240", .rdataLengthMismatch), // hash shorter than 20
        ("01 01 000C 04 AABBCCDD 01 17 00 00", .badRDATA),           // bitmap length 0
        ("01 01 000C 04 AABBCCDD 01 17 01 01 40 00 01 40", .badRDATA), // windows out of order
        ("01 01 000C 04 AABBCCDD 01 17 00 21" + String(repeating: " 01", count: 33), .badRDATA),
    ])
    func malformedWire(_ text: String, code: DNSWireError.Code) {
        #expect(wireErrorCode(.nsec3, hex(text)) == code)
    }
}
