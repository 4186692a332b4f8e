@testable import DNSCore
import Testing

@Suite struct RFC4648_7_Base32HexTests {
    /// RFC 4648 §10's base32hex vectors, with the padding removed (NSEC3 writes none).
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "CO"), ("fo", "CPNG"), ("foo", "CPNMU"), ("foob", "CPNMUOG"),
        ("fooba", "CPNMUOJ1"), ("foobar", "CPNMUOJ1E8"),
    ]

    @Test(arguments: vectors)
    func rfc4648Section10Vectors(plain: String, encoded: String) {
        #expect(Base32Hex.encode(Array(plain.utf8)) == encoded)
        #expect(Base32Hex.encode(Array(plain.utf8), uppercase: false) == encoded.lowercased())
        #expect(Base32Hex.decode(Array(encoded.utf8)) == Array(plain.utf8))
        #expect(Base32Hex.decode(Array(encoded.lowercased().utf8)) == Array(plain.utf8))
    }

    @Test func decodingIsCaseInsensitive() {
        #expect(Base32Hex.decode(Array("CpNmUoJ1".utf8)) == Array("fooba".utf8))
    }

    @Test func everyOctetValueRoundTrips() {
        let all = (0...255).map { UInt8($0) }
        for length in 0...all.count where length % 37 == 0 || length < 12 {
            let bytes = Array(all[0..<length].reversed())
            #expect(Base32Hex.decode(Array(Base32Hex.encode(bytes).utf8)) == bytes)
        }
    }

    /// The alphabet keeps octet order (why RFC 5155 §1.3 chose it): encodings sort like the
    /// octets.
    @Test func encodingPreservesOrder() {
        let a: [UInt8] = [0x00, 0xFF, 0x10], b: [UInt8] = [0x01, 0x00, 0x00]
        #expect(Base32Hex.encode(a) < Base32Hex.encode(b))
    }

    @Test(arguments: [
        "C", "CPN", "CPNMUO",            // lengths no octet string encodes to
        "CO======", "CO=",               // padding is not accepted
        "CW", "C!", "C ", "Cé",          // outside the alphabet
        "CP",                            // non-zero leftover bits ("f" is "CO")
    ])
    func rejectsMalformed(_ text: String) {
        #expect(Base32Hex.decode(Array(text.utf8)) == nil)
    }

    /// RFC 5155 Appendix A's hashes are 20-octet SHA-1 values, 32 characters each.
    @Test func nsec3HashesDecodeTo20Octets() throws {
        let hash = try #require(Base32Hex.decode(Array("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom".utf8)))
        #expect(hash.count == 20)
        #expect(Base32Hex.encode(hash, uppercase: false) == "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom")
    }
}
