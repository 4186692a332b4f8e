import Testing
@testable import DNSCore

@Suite struct RFC1035_5_1_DomainNamePresentationTests {
    @Test func absoluteRelativeRootAndOrigin() throws {
        let origin: DomainName = "example.com."
        #expect(try DomainName(parsing: "www.example.com.").labels.map { String(decoding: $0, as: UTF8.self) } == ["www", "example", "com"])
        #expect(try DomainName(parsing: "www", origin: origin) == "www.example.com.")
        #expect(try DomainName(parsing: "a.b", origin: origin).description == "a.b.example.com.")
        #expect(try DomainName(parsing: "@", origin: origin) == origin)
        #expect(try DomainName(parsing: ".") == .root)
        #expect(try DomainName(parsing: ".", origin: origin) == .root)
        #expect(try DomainName(parsing: "www.", origin: origin) == "www.")
        #expect(throws: DomainNameError.relativeWithoutOrigin("www")) { try DomainName(parsing: "www") }
        #expect(throws: DomainNameError.relativeWithoutOrigin("@")) { try DomainName(parsing: "@") }
        #expect(DomainName.root.description == ".")
        #expect(DomainName.root.isRoot)
    }

    @Test func escapes() throws {
        let dotted = try DomainName(parsing: #"a\.b.example."#)
        #expect(dotted.labelCount == 2)
        #expect(dotted.wire == [3, 0x61, 0x2E, 0x62, 7] + Array("example".utf8) + [0])
        #expect(dotted.description == #"a\.b.example."#)
        #expect(try DomainName(parsing: #"\065\066c."#).wire == [3, 0x41, 0x42, 0x63, 0])
        #expect(try DomainName(parsing: #"\000\255."#).wire == [2, 0, 255, 0])
        #expect(try DomainName(parsing: #"\\\"."#).wire == [2, 0x5C, 0x22, 0])
        #expect(try DomainName(parsing: #"a\ b."#).wire == [3, 0x61, 0x20, 0x62, 0])
        for bad in [#"\256."#, #"\25."#, #"\2a5."#, #"a\"#, #"\"#] {
            #expect(throws: DomainNameError.badEscape(bad)) { try DomainName(parsing: bad) }
        }
    }

    @Test func emptyLabels() {
        for bad in ["a..b.", ".a.", "..", ""] {
            #expect(throws: DomainNameError.emptyLabel) { try DomainName(parsing: bad) }
        }
    }

    @Test func labelAndNameLimits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try DomainName(parsing: label63 + ".").wire.count == 65)
        #expect(throws: DomainNameError.labelTooLong(64)) { try DomainName(parsing: label63 + "a.") }
        // An escaped octet counts once.
        #expect(try DomainName(parsing: String(repeating: #"\000"#, count: 63) + ".").wire.count == 65)
        // 3 × 63-octet labels + one 61-octet label = 4 + 250 + root = 255 octets.
        let longest = [label63, label63, label63, String(repeating: "b", count: 61)].joined(separator: ".") + "."
        #expect(try DomainName(parsing: longest).wire.count == 255)
        let tooLong = [label63, label63, label63, String(repeating: "b", count: 62)].joined(separator: ".") + "."
        #expect(throws: DomainNameError.nameTooLong(256)) { try DomainName(parsing: tooLong) }
        let origin = try DomainName(parsing: [label63, label63, label63].joined(separator: ".") + ".")
        #expect(throws: DomainNameError.nameTooLong(256)) { try DomainName(parsing: String(repeating: "b", count: 62), origin: origin) }
        #expect(try DomainName(parsing: String(repeating: "b", count: 61), origin: origin).wire.count == 255)
    }

    /// BIND 9.18 (`named-checkzone -o -`) prints `"`, `(`, `)`, `.`, `;`, `\`, `@`, `$`
    /// backslashed and every octet outside 0x21–0x7E, space included, as `\DDD`; ldns 1.8.3
    /// prints space as `\032` too.
    @Test func printingEscapesLikeBIND() throws {
        let name = try DomainName(labels: [Array(#"x@y$z"w"#.utf8), Array("a.b;c(d)e\\f".utf8), [0x20, 0x00, 0x7F, 0xC8, 0x41]])
        #expect(name.description == #"x\@y\$z\"w.a\.b\;c\(d\)e\\f.\032\000\127\200A."#)
        #expect(try DomainName(parsing: name.description) == name)
        #expect(try DomainName(parsing: name.description).wire == name.wire)
        #expect(try DomainName(parsing: "a\\ b.").description == #"a\032b."#)
    }

    @Test func everyOctetRoundTripsThroughPresentation() throws {
        for start in stride(from: 0, to: 256, by: 32) {
            let label = (start..<(start + 32)).map { UInt8($0) }
            let name = try DomainName(labels: [label, Array("test".utf8)])
            let parsed = try DomainName(parsing: name.description)
            #expect(parsed.wire == name.wire, "\(name)")
        }
    }
}

@Suite struct RFC4343_CaseInsensitivityTests {
    @Test func equalityAndHashingIgnoreASCIICase() {
        let a: DomainName = "WWW.Example.COM."
        let b: DomainName = "www.example.com."
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
        #expect(a.description == "WWW.Example.COM.")
        #expect(a.lowercased.wire == b.wire)
        #expect(a.wire != b.wire)
    }

    @Test func onlyASCIILettersFold() throws {
        let upper = try DomainName(labels: [[0xC4]])   // Ä in Latin-1 is not folded
        let lower = try DomainName(labels: [[0xE4]])
        #expect(upper != lower)
        #expect(try DomainName(labels: [[0x40]]) != DomainName(labels: [[0x60]]))  // @ vs `
        #expect(try DomainName(labels: [[0x5B]]) != DomainName(labels: [[0x7B]]))  // [ vs {
    }
}

@Suite struct RFC4034_6_1_CanonicalOrderTests {
    func names() throws -> [DomainName] {
        try vectorFile("rfc4034/section-6.1-canonical-order.txt")
            .split(separator: "\n")
            .filter { !$0.hasPrefix(";") }
            .map { try DomainName(parsing: $0 + ".") }
    }

    @Test func theRFCListIsInCanonicalOrder() throws {
        let names = try names()
        #expect(names.count == 9)
        for i in names.indices {
            for j in names.indices {
                let expected = i < j ? -1 : (i == j ? 0 : 1)
                #expect(DomainName.canonicalCompare(names[i], names[j]) == expected, "\(names[i]) vs \(names[j])")
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            #expect(names.shuffled(using: &generator).sorted() == names)
        }
        #expect(names.sorted().map(\.description) == names.map(\.description))
    }

    @Test func moreOrderingRules() {
        #expect(DomainName.root < "a.")
        #expect(!(DomainName("a.") < "A."))
        #expect(DomainName.canonicalCompare("A.", "a.") == 0)
        #expect(DomainName("b.a.") < "a.b.")       // rightmost label first
        #expect(DomainName("ab.") < "b.")          // octet strings, left-justified
        #expect(DomainName("a.") < "aa.")          // shorter first on a common prefix
        #expect(DomainName("z.a.") < "a.b.")
    }
}

@Suite struct DomainNameOperationsTests {
    @Test func isSubdomain() {
        let example: DomainName = "example.com."
        #expect(DomainName("www.example.com.").isSubdomain(of: example))
        #expect(DomainName("a.b.EXAMPLE.com.").isSubdomain(of: example))
        #expect(example.isSubdomain(of: example))
        #expect(example.isSubdomain(of: .root))
        #expect(DomainName.root.isSubdomain(of: .root))
        #expect(!DomainName("wwwexample.com.").isSubdomain(of: example))
        #expect(!DomainName("xample.com.").isSubdomain(of: example))
        #expect(!DomainName("com.").isSubdomain(of: example))
        #expect(!DomainName.root.isSubdomain(of: example))
        #expect(!DomainName("example.org.").isSubdomain(of: example))
    }

    @Test func relativeText() {
        let origin: DomainName = "example.com."
        #expect(DomainName("www.example.com.").relativeText(to: origin) == "www")
        #expect(DomainName("a.b.Example.com.").relativeText(to: origin) == "a.b")
        #expect(origin.relativeText(to: origin) == "@")
        #expect(DomainName("example.org.").relativeText(to: origin) == nil)
        #expect(DomainName(#"a\.b.example.com."#).relativeText(to: origin) == #"a\.b"#)
    }

    @Test func labelsParentSuffixAndBuilding() throws {
        let name: DomainName = "*.a.example."
        #expect(name.labelCount == 3)
        #expect(name.isWildcard)
        #expect(name.rrsigLabelCount == 2)
        #expect(name.parent == "a.example.")
        #expect(DomainName.root.parent == nil)
        #expect(name.suffix(labelCount: 1) == "example.")
        #expect(name.suffix(labelCount: 0) == .root)
        #expect(name.suffix(labelCount: 3) == name)
        #expect(!DomainName("a.*.example.").isWildcard)
        #expect(!DomainName(#"\*.example."#).labels.isEmpty)
        #expect(try DomainName("example.").prepending(label: Array("www".utf8)) == "www.example.")
        #expect(throws: DomainNameError.emptyLabel) { try DomainName.root.prepending(label: [UInt8]()) }
        #expect(throws: DomainNameError.labelTooLong(64)) { try DomainName.root.prepending(label: [UInt8](repeating: 0x61, count: 64)) }
        #expect(try DomainName("www.").appending("example.com.") == "www.example.com.")
        #expect(try DomainName.root.appending("example.") == "example.")
        #expect(DomainName("a.b.example.").commonSuffixLabelCount(with: "c.B.example.") == 2)
        #expect(DomainName("a.").commonSuffixLabelCount(with: "b.") == 0)
        #expect(throws: DomainNameError.emptyLabel) { try DomainName(labels: [[UInt8]()]) }
        #expect(try DomainName(labels: [[UInt8]]()) == .root)
    }

    @Test func validatedWireForm() throws {
        #expect(try DomainName(wire: [1, 0x61, 0]) == "a.")
        #expect(try DomainName(wire: [0]) == .root)
        #expect(throws: DomainNameError.missingRootLabel) { try DomainName(wire: []) }
        #expect(throws: DomainNameError.missingRootLabel) { try DomainName(wire: [1, 0x61]) }
        #expect(throws: DomainNameError.missingRootLabel) { try DomainName(wire: [5, 0x61, 0]) }
        #expect(throws: DomainNameError.trailingBytes) { try DomainName(wire: [0, 0]) }
        #expect(throws: DomainNameError.labelTooLong(64)) { try DomainName(wire: [64] + [UInt8](repeating: 0x61, count: 64) + [0]) }
        #expect(throws: DomainNameError.labelTooLong(0xC0)) { try DomainName(wire: [0xC0, 0x00]) }
        var long: [UInt8] = []
        for _ in 0..<4 { long += [63] + [UInt8](repeating: 0x61, count: 63) }
        #expect(throws: DomainNameError.nameTooLong(257)) { try DomainName(wire: long + [0]) }
    }
}
