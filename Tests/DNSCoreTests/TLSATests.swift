import DNSCore
import Foundation
import Testing

@Suite struct RFC6698_2_TLSATests {
    /// RFC 6698 §2.3's first example (wire form from dnspython 2.9.2).
    static let firstExample = "0 0 1 d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971"
    static let firstExampleWire = hex("00 00 01 D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E4561CB106618E971")

    @Test func rfc6698Section2_3Examples() throws {
        let records = try Vectors.records("rfc6698/tlsa.txt", type: .tlsa)
        #expect(records.count == 2)
        #expect(records.first?.rdata == Self.firstExample)
        let expected: [(TLSA.CertificateUsage, TLSA.Selector, TLSA.MatchingType, Int)] = [(.pkixTA, .cert, .sha256, 32), (.pkixEE, .spki, .sha512, 64)]
        for (record, (usage, selector, matchingType, length)) in zip(records, expected) {
            let rdata = try record.parse()
            let tlsa = try #require(rdata.as(TLSA.self))
            #expect(tlsa.usage == usage && tlsa.selector == selector && tlsa.matchingType == matchingType)
            #expect(tlsa.associationData.count == length)
            #expect(tlsa.digestLengthFitsMatchingType == true)
            #expect(rdata.presentation == record.rdata.uppercased())
            #expect(try decodeRData(.tlsa, rdata.wire) == rdata)
        }
        #expect(try records[0].parse().wire == Self.firstExampleWire)
    }

    /// RFC 6698 Appendix C gives the association data of one certificate for each selector and
    /// matching type; paired here with usage 3 (DANE-EE).
    @Test func rfc6698AppendixCAssociationData() throws {
        let values = try Self.appendixC()
        #expect(values.keys.sorted() == ["0 1", "0 2", "1 0", "1 1", "1 2"])
        for (selectorAndMatching, data) in values {
            let rdata = try RData(type: .tlsa, text: "3 \(selectorAndMatching) \(data)")
            let tlsa = try #require(rdata.as(TLSA.self))
            #expect(rdata.presentation == "3 \(selectorAndMatching) \(data.uppercased())")
            #expect(try decodeRData(.tlsa, rdata.wire) == rdata)
            switch tlsa.matchingType {
            case .full:
                #expect(tlsa.associationData.count == 422)  // the DER SubjectPublicKeyInfo
                #expect(tlsa.associationData.prefix(4) == [0x30, 0x82, 0x01, 0xA2])
                #expect(tlsa.digestLengthFitsMatchingType == nil)
            default:
                #expect(tlsa.digestLengthFitsMatchingType == true)
            }
        }
    }

    /// The `; S M = x y: HEX` comment lines of the vector file; the SPKI's hex continues on
    /// the comment lines after its header.
    static func appendixC() throws -> [String: String] {
        var values: [String: String] = [:]
        var continuing: String?
        for line in try Vectors.text("rfc6698/tlsa.txt").split(separator: "\n") {
            let text = line.drop(while: { $0 == ";" || $0 == " " })
            if text.hasPrefix("S M = ") {
                let key = String(text.dropFirst(6).prefix(3))
                continuing = nil
                if key == "1 0" {
                    continuing = key
                    values[key] = ""
                } else if key != "0 0", let colon = text.firstIndex(of: ":") {
                    values[key] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            } else if let key = continuing, !text.isEmpty, text.allSatisfy(\.isHexDigit) {
                values[key, default: ""] += text
            } else {
                continuing = nil
            }
        }
        return values
    }

    @Test func rfc7218MnemonicsAreAccepted() throws {
        let data = "8755CDAA8FE24EF16CC0F2C918063185E433FAAF1415664911D9E30A924138C4"
        let named = try RData(type: .tlsa, text: "DANE-EE SPKI SHA2-256 \(data)")
        #expect(named == (try RData(type: .tlsa, text: "3 1 1 \(data)")))
        #expect(named.presentation == "3 1 1 \(data)")
        #expect(try RData(type: .tlsa, text: "pkix-ta cert full 00").presentation == "0 0 0 00")
        #expect(try RData(type: .tlsa, text: "PKIX-EE Cert SHA2-512 00").presentation == "1 0 2 00")
        #expect(try RData(type: .tlsa, text: "DANE-TA spki Full 00").presentation == "2 1 0 00")
        #expect(try RData(type: .tlsa, text: "PrivCert PrivSel PrivMatch 00").presentation == "255 255 255 00")
    }

    @Test func registryNames() {
        #expect(TLSA.CertificateUsage.daneEE.description == "DANE-EE")
        #expect(TLSA.CertificateUsage(4).description == "4")
        #expect(TLSA.Selector.spki.description == "SPKI")
        #expect(TLSA.MatchingType.sha512.description == "SHA2-512")
        #expect(TLSA.CertificateUsage.privCert.rawValue == 255 && TLSA.Selector.privSel.rawValue == 255 && TLSA.MatchingType.privMatch.rawValue == 255)
        #expect(TLSA.MatchingType.sha256.digestLength == 32 && TLSA.MatchingType.sha512.digestLength == 64)
        #expect(TLSA.MatchingType.full.digestLength == nil && TLSA.MatchingType(3).digestLength == nil)
    }

    @Test func digestLengthCheck() throws {
        func fits(_ text: String) throws -> Bool? { try #require(RData(type: .tlsa, text: text).as(TLSA.self)).digestLengthFitsMatchingType }
        #expect(try fits("3 1 1 00") == false)
        #expect(try fits("3 1 2 \(String(repeating: "00", count: 32))") == false)
        #expect(try fits("3 1 2 \(String(repeating: "00", count: 64))") == true)
        #expect(try fits("3 1 0 00") == nil)
        #expect(try fits("3 1 255 00") == nil)
        #expect(try fits("3 1 3 00") == nil)
    }

    @Test func unassignedValuesAndSplitHexRoundTrip() throws {
        let rdata = try RData(type: .tlsa, text: "4 2 3 00 ff\t0a")
        #expect(rdata.wire == hex("04 02 03 00FF0A"))
        #expect(rdata.presentation == "4 2 3 00FF0A")
    }

    @Test func smimeaUsesTheTLSALayout() throws {
        #expect(layout(.smimea) == ObjectIdentifier(TLSA.self))
        let rdata = try RData(type: .smimea, text: Self.firstExample)
        #expect(rdata.type == .smimea)
        #expect(rdata.as(SMIMEA.self)?.usage == .pkixTA)
        #expect(rdata.wire == Self.firstExampleWire)
        #expect(try decodeRData(.smimea, Self.firstExampleWire) == rdata)
        #expect(rdata.description == "SMIMEA " + Self.firstExample.uppercased())
    }

    @Test(arguments: [
        ("", PresentationError.Code.missingField),
        ("3 1 1", .missingField),
        ("DANE 1 1 00", .badValue),
        ("256 1 1 00", .badValue),
        ("3 SHA2-256 1 00", .badValue),
        ("3 1 SPKI 00", .badValue),
        ("\"3\" 1 1 00", .badValue),
        ("3 1 1 0", .badHex),
        ("3 1 1 0x00", .badHex),
        ("3 1 1 \"\"", .badHex),
    ])
    func malformedText(_ text: String, code: PresentationError.Code) {
        #expect(presentationErrorCode(.tlsa, text) == code)
    }

    @Test(arguments: ["", "03", "0301", "030101"])
    func truncatedWire(_ text: String) {
        #expect(wireErrorCode(.tlsa, hex(text)) == .rdataLengthMismatch)
    }
}
