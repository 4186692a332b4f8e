import DNSCore
import Testing

@Suite struct RFC4034_4_1_2_TypeBitmapTests {
    func decode(_ bytes: [UInt8]) throws(DNSWireError) -> TypeBitmap {
        var reader = WireReader(bytes)
        let bitmap = try TypeBitmap(wire: &reader)
        #expect(reader.isAtEnd)
        return bitmap
    }

    func encode(_ bitmap: TypeBitmap) -> [UInt8] {
        var writer = WireWriter(mode: .uncompressed)
        bitmap.encode(to: &writer)
        return writer.bytes
    }

    /// The bitmap of RFC 4034 §4.3's example (A MX RRSIG NSEC TYPE1234).
    static let rfcExample = hex("0006 4001000000 03 041B 000000000000000000000000000000000000000000000000000020")

    @Test func rfc4034Section4_3Example() throws {
        let bitmap: TypeBitmap = [.a, .mx, .rrsig, .nsec, RRType(1234)]
        #expect(encode(bitmap) == Self.rfcExample)
        #expect(try decode(Self.rfcExample) == bitmap)
        #expect(bitmap.description == "A MX RRSIG NSEC TYPE1234")
    }

    @Test func emptySetHasNoBlocks() throws {
        #expect(encode(TypeBitmap()) == [])
        #expect(try decode([]).isEmpty)
        #expect(TypeBitmap().description == "")
    }

    @Test func edgesOfTheTypeSpace() throws {
        let bitmap: TypeBitmap = [RRType(0), RRType(7), RRType(8), RRType(255), RRType(256), RRType(65535)]
        let bytes = encode(bitmap)
        #expect(bytes == hex("00 20 81 80" + String(repeating: "00", count: 29) + "01") + hex("01 01 80") + hex("FF 20" + String(repeating: "00", count: 31) + "01"))
        #expect(try decode(bytes) == bitmap)
        #expect(bitmap.types == [RRType(0), RRType(7), RRType(8), RRType(255), RRType(256), RRType(65535)])
    }

    @Test func setOperations() {
        var bitmap: TypeBitmap = [.mx, .a, .a]
        #expect(bitmap.types == [.a, .mx])
        #expect(bitmap.contains(.a) && !bitmap.contains(.ns))
        bitmap.insert(.ns)
        bitmap.insert(.ns)
        bitmap.remove(.mx)
        bitmap.remove(.txt)
        #expect(bitmap.types == [.a, .ns])
        #expect(bitmap.count == 2)
    }

    /// RFC 4034 §4.1.2: trailing zero octets MUST be omitted and empty blocks MUST NOT be
    /// included; such RDATA could not be re-encoded byte for byte, so it is refused (as BIND
    /// and dnspython do).
    @Test func trailingZeroOctetsAreRefused() {
        #expect(wireError(hex("00 04 40 00 00 00")) == .badRDATA)
        #expect(wireError(hex("00 01 40  01 02 00 00")) == .badRDATA)
        #expect(wireError(hex("00 01 00")) == .badRDATA)
    }

    private func wireError(_ bytes: [UInt8]) -> DNSWireError.Code? {
        do {
            _ = try decode(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    /// Pseudo-type bits are kept: RFC 4034 §4.1.2 has readers ignore them, and dropping them
    /// would change the RDATA a signature covers.
    @Test func metaTypeBitsAreKept() throws {
        let bitmap = try decode(hex("00 06 00 00 00 00 00 40"))
        #expect(bitmap == [.opt])
    }

    @Test(arguments: [
        ("00 01 40  00 01 40", DNSWireError.Code.badRDATA),    // window repeated
        ("01 01 40  00 01 40", .badRDATA),                      // windows out of order
        ("00 00", .badRDATA),                                   // length 0
        ("00 21" + String(repeating: " 00", count: 33), .badRDATA), // length 33
        ("00", .truncated),                                     // no length octet
        ("00 02 40", .truncated),                               // bitmap shorter than its length
    ])
    func rejectsMalformed(_ text: String, code: DNSWireError.Code) {
        let error = #expect(throws: DNSWireError.self) { _ = try decode(hex(text)) }
        #expect(error?.code == code)
    }

    @Test func presentationAcceptsMnemonicsAndGenericNames() throws {
        var scanner = try PresentationScanner(text: "rrsig TYPE1234 A type1 MX NSEC")
        let bitmap = try TypeBitmap(presentation: &scanner)
        #expect(scanner.isAtEnd)
        #expect(bitmap == [.a, .mx, .rrsig, .nsec, RRType(1234)])
    }

    @Test(arguments: ["A BOGUS", "A TYPE65536", "A \"MX\"", "A TYPE"])
    func presentationRejectsUnknownMnemonics(_ text: String) throws {
        var scanner = try PresentationScanner(text: text)
        let error = #expect(throws: PresentationError.self) { _ = try TypeBitmap(presentation: &scanner) }
        #expect(error?.code == .badValue)
    }
}
