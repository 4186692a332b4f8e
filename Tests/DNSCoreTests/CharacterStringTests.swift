import Testing
@testable import DNSCore

@Suite struct RFC1035_3_3_CharacterStringTests {
    @Test func lengthIsCappedAt255() {
        #expect(CharacterString(bytes: [UInt8](repeating: 0x61, count: 255)) != nil)
        #expect(CharacterString(bytes: [UInt8](repeating: 0x61, count: 256)) == nil)
        #expect(CharacterString(String(repeating: "é", count: 128)) == nil)
        #expect(CharacterString(String())?.bytes == [])
        #expect(CharacterString.empty.bytes.isEmpty)
    }

    /// The escaping BIND 9.18 prints (checked with `named-checkzone -o -`): `"` and `\`
    /// backslashed, printable ASCII as is, everything else `\DDD`.
    @Test func quotedPresentationEscapesLikeBIND() {
        func quoted(_ bytes: [UInt8]) -> String {
            var out = ""
            CharacterString.appendQuoted(bytes, to: &out)
            return out
        }
        #expect(quoted(Array(#"a"b\c"#.utf8)) == #""a\"b\\c""#)
        #expect(quoted([]) == #""""#)
        #expect(quoted(Array("tab\tx".utf8)) == #""tab\009x""#)
        #expect(quoted([0xFF, 0x00] + Array("é".utf8)) == #""\255\000\195\169""#)
        #expect(quoted(Array("semi;colon(paren) @$ ~".utf8)) == #""semi;colon(paren) @$ ~""#)
        #expect(quoted([0x1F, 0x20, 0x7E, 0x7F, 0x0A]) == #""\031 ~\127\010""#)
        let literal: CharacterString = "v=spf1 -all"
        #expect(literal.description == #""v=spf1 -all""#)
    }

    @Test func valuePresentationQuotesOnlyWhenNeeded() {
        func value(_ text: String) -> String {
            var out = ""
            CharacterString.appendValue(Array(text.utf8), to: &out)
            return out
        }
        #expect(value("h2") == "h2")
        #expect(value("") == #""""#)
        #expect(value("a b") == #""a b""#)
        #expect(value("a;b") == #""a;b""#)
        #expect(value("(x)") == #""(x)""#)
        #expect(value(#"a"b"#) == #"a\"b"#)
        #expect(value("a\u{7F}") == #"a\127"#)
    }

    @Test func everyOctetRoundTripsThroughPresentation() throws {
        let all = (0...255).map { UInt8($0) }
        for chunk in stride(from: 0, to: 256, by: 64) {
            let bytes = Array(all[chunk..<(chunk + 64)])
            var quoted = ""
            CharacterString.appendQuoted(bytes, to: &quoted)
            var scanner = try PresentationScanner(text: quoted)
            #expect(try scanner.characterString("test") == bytes)
            var unquoted = ""
            CharacterString.appendValue(bytes, to: &unquoted)
            var scanner2 = try PresentationScanner(text: unquoted)
            #expect(try scanner2.characterString("test") == bytes)
            #expect(scanner2.isAtEnd)
        }
    }
}
