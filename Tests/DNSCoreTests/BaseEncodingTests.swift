import Testing
@testable import DNSCore

@Suite struct RFC4648_10_TestVectors {
    let vectors: [(String, String, String)] = [
        ("", "", ""), ("f", "Zg==", "66"), ("fo", "Zm8=", "666F"), ("foo", "Zm9v", "666F6F"),
        ("foob", "Zm9vYg==", "666F6F62"), ("fooba", "Zm9vYmE=", "666F6F6261"), ("foobar", "Zm9vYmFy", "666F6F626172"),
    ]

    @Test func base64() {
        for (plain, encoded, _) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Array(Base64.encode(all).utf8)) == all)
    }

    @Test func base64Rejects() {
        for bad in ["Zg=", "Zg", "Z===", "====", "Zg==Zg==", "Zm9v!A==", "Zm 9v", "Zg=a", "Zm9vYg=\n"] {
            #expect(Base64.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func base16() {
        for (plain, _, encoded) in vectors {
            #expect(Base16.encode(Array(plain.utf8)) == encoded)
            #expect(Base16.decode(Array(encoded.utf8)) == Array(plain.utf8))
            #expect(Base16.decode(Array(encoded.lowercased().utf8)) == Array(plain.utf8))
        }
        #expect(Base16.encode([0xAB, 0x01], uppercase: false) == "ab01")
        for bad in ["F", "GG", "0x00", "0 0", "ab-"] {
            #expect(Base16.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
    }
}
