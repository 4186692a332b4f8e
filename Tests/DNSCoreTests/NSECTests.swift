import DNSCore
import Testing

@Suite struct RFC4034_4_NSECTests {
    /// RFC 4034 §4.3: `alfa.example.com. 86400 IN NSEC host.example.com. ( A MX RRSIG NSEC
    /// TYPE1234 )` and the RDATA octets the RFC lists for it.
    static let section4_3Text = "host.example.com. A MX RRSIG NSEC TYPE1234"
    static let section4_3Wire = hex("04686F7374 076578616D706C65 03636F6D 00") + RFC4034_4_1_2_TypeBitmapTests.rfcExample

    @Test func rfc4034Section4_3Example() throws {
        let rdata = try RData(type: .nsec, text: Self.section4_3Text)
        let nsec = try #require(rdata.as(NSEC.self))
        #expect(nsec.nextDomainName == "host.example.com.")
        #expect(nsec.types == [.a, .mx, .rrsig, .nsec, RRType(1234)])
        #expect(rdata.wire == Self.section4_3Wire)
        #expect(try decodeRData(.nsec, Self.section4_3Wire) == rdata)
        #expect(rdata.presentation == Self.section4_3Text)
    }

    /// The NSEC chain of RFC 4035 Appendix A parses and prints back as written.
    @Test func rfc4035AppendixAChain() throws {
        let records = try Vectors.records("rfc4035/appendix-A.zone", type: .nsec)
        #expect(records.count == 10)
        for record in records {
            let rdata = try record.parse()
            #expect(try decodeRData(.nsec, rdata.wire) == rdata)
            let printed = try RData(type: .nsec, text: rdata.presentation)
            #expect(printed == rdata, "\(record)")
        }
        let first = try #require(records.first?.parse().as(NSEC.self))
        #expect(first.types.description == "NS SOA MX RRSIG NSEC DNSKEY")
    }

    /// RFC 6840 §5.1: the next domain name keeps its case in the canonical form (unlike RRSIG's
    /// signer), and RFC 4034 §4.1.1: it is never compressed.
    @Test func nextNameKeepsCaseAndIsNeverCompressed() throws {
        let rdata = try RData(type: .nsec, text: "Host.Example.COM. A")
        #expect(rdata.canonicalWire == rdata.wire)
        #expect(Array(rdata.canonicalWire.prefix(5)) == hex("04486F7374"))
        var writer = WireWriter(mode: .message)
        writer.writeOwnerName("host.example.com.")
        let before = writer.count
        rdata.encode(to: &writer)
        #expect(Array(writer.bytes[before...]) == rdata.wire)
    }

    @Test func emptyBitmapAndRelativeNames() throws {
        let rdata = try RData(type: .nsec, text: "host", origin: "example.")
        #expect(rdata.as(NSEC.self) == NSEC(nextDomainName: "host.example.", types: []))
        #expect(rdata.presentation == "host.example.")
        #expect(rdata.wire == hex("04686F7374 076578616D706C65 00"))
    }

    @Test(arguments: [
        ("", PresentationError.Code.missingField),
        ("host.example. A BOGUS", .badValue),
        ("host..example. A", .badName),
    ])
    func malformedText(_ text: String, code: PresentationError.Code) {
        #expect(presentationErrorCode(.nsec, text) == code)
    }

    @Test(arguments: [
        ("", DNSWireError.Code.rdataLengthMismatch),
        ("04686F7374", .rdataLengthMismatch),       // name without its root label
        ("00 00", .rdataLengthMismatch),             // a block without its length
        ("00 00 00", .badRDATA),                     // bitmap length 0
        ("00 00 01 40 00 01 40", .badRDATA),         // window 0 twice
        ("00 00 21" + String(repeating: " FF", count: 33), .badRDATA),
        ("80", .badLabelType),
    ])
    func malformedWire(_ text: String, code: DNSWireError.Code) {
        #expect(wireErrorCode(.nsec, hex(text)) == code)
    }
}
