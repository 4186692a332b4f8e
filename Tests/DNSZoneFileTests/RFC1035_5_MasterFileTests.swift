import DNSCore
import Testing
@testable import DNSZoneFile

private func parse(_ text: String, origin: DomainName? = nil, loader: (@Sendable (String) throws -> [UInt8])? = nil) -> ZoneParseResult {
    ZoneFileParser(origin: origin, includeLoader: loader).parse(text: text, fileName: "t.zone")
}

/// RFC 1035 §5.1: the master-file format, one test per rule.
@Suite struct RFC1035_5_1_MasterFileFormatTests {
    @Test func originAndRelativeNames() throws {
        let result = parse("""
        $ORIGIN example.org.
        $TTL 300
        @ NS ns1
        ns1 A 192.0.2.1
        www.sub A 192.0.2.2
        abs.example.net. A 192.0.2.3
        """)
        #expect(result.errors.isEmpty)
        #expect(result.records.map(\.owner) == ["example.org.", "ns1.example.org.", "www.sub.example.org.", "abs.example.net."])
        #expect(result.records[0].rdata.as(NS.self)?.target == "ns1.example.org.")
        #expect(result.origin == "example.org.")
    }

    @Test func originGivenByCaller() {
        let result = parse("@ 60 A 192.0.2.1\nwww 60 A 192.0.2.2", origin: "example.")
        #expect(result.errors.isEmpty)
        #expect(result.records.map(\.owner) == ["example.", "www.example."])
    }

    @Test func relativeOriginDirectiveIsAppendedToCurrentOrigin() {
        let result = parse("$ORIGIN example.\n$ORIGIN sub\nx 1 A 192.0.2.1")
        #expect(result.records.first?.owner == "x.sub.example.")
    }

    @Test func blankLeadingLineReusesPreviousOwner() {
        let result = parse("$ORIGIN example.\nhost 60 A 192.0.2.1\n  60 AAAA 2001:db8::1\n\t60 MX 10 host")
        #expect(result.errors.isEmpty)
        #expect(result.records.map(\.owner) == ["host.example.", "host.example.", "host.example."])
    }

    @Test func blankOwnerWithoutPreviousOwnerIsAnError() {
        let result = parse("  60 A 192.0.2.1", origin: "example.")
        #expect(result.errors.map(\.code) == [.badOwner])
    }

    @Test func ttlAndClassInEitherOrderAndOmitted() throws {
        let result = parse("""
        $ORIGIN example.
        a 100 IN A 192.0.2.1
        b IN 200 A 192.0.2.2
        c A 192.0.2.3
        d CH 50 A 192.0.2.4
        e A 192.0.2.5
        """)
        #expect(result.errors.isEmpty)
        #expect(result.records.map(\.ttl) == [100, 200, 200, 50, 50])
        #expect(result.records.map(\.rrClass) == [.internet, .internet, .internet, .chaos, .chaos])
    }

    /// RFC 2308 §4: `$TTL` is the default for records without a TTL; it wins over the last
    /// explicit TTL.
    @Test func dollarTTLWithUnits() {
        let result = parse("$ORIGIN example.\n$TTL 1h30m\na A 192.0.2.1\nb 10 A 192.0.2.2\nc A 192.0.2.3\nd 2W A 192.0.2.4")
        #expect(result.records.map(\.ttl) == [5400, 10, 5400, 1_209_600])
    }

    @Test func soaMinimumIsTheTTLWhenNothingElseIs() {
        let result = parse("$ORIGIN example.\n@ IN SOA ns hm 1 2 3 4 55\nwww A 192.0.2.1")
        #expect(result.errors.isEmpty)
        #expect(result.records.map(\.ttl) == [55, 55])
    }

    @Test func missingTTLIsAnError() {
        let result = parse("www.example. A 192.0.2.1")
        #expect(result.errors.map(\.code) == [.missingTTL])
    }

    @Test func parenthesesCommentsAndLineNumbers() throws {
        let result = parse("""
        $ORIGIN example. ; comment after a directive
        ; a whole-line comment
        @ 3600 IN SOA ns1 hostmaster ( ; open
                1 ; serial
                7200 3600
                1209600 300 ) ; close
        www 60 A 192.0.2.1 ; trailing comment
        """)
        #expect(result.errors.isEmpty)
        let soa = try #require(result.records.first?.rdata.as(SOA.self))
        #expect(soa.serial == 1 && soa.refresh == 7200 && soa.minimum == 300)
        #expect(result.records.count == 2)
    }

    @Test func escapesInOwnerNames() throws {
        let result = parse("a\\.b\\032c.example. 60 A 192.0.2.1")
        #expect(result.errors.isEmpty)
        let owner = try #require(result.records.first?.owner)
        #expect(owner.labelCount == 2)
        #expect(owner.labels[0].elementsEqual("a.b c".utf8))
        #expect(owner.description == "a\\.b\\032c.example.")
    }

    /// RFC 3597 §5: `TYPEnnn`, `CLASSnnn` and `\#` for any type.
    @Test func RFC3597_genericTypesClassesAndRDATA() throws {
        let result = parse("""
        $ORIGIN example.
        a 60 CLASS32 TYPE731 \\# 6 abcdef012345
        b 60 IN TYPE1 \\# 4 C0000201
        c 60 IN A \\# 4 c0000202
        d 60 IN TYPE62347 \\# 0
        """)
        #expect(result.errors.isEmpty)
        #expect(result.records[0].rrClass == RRClass(32))
        #expect(result.records[0].type == RRType(731))
        #expect(result.records[0].rdata.as(UnknownRData.self)?.bytes == [0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45])
        #expect(result.records[1].rdata.as(A.self)?.address == IPv4Address(192, 0, 2, 1))
        #expect(result.records[2].rdata.as(A.self)?.address == IPv4Address(192, 0, 2, 2))
        #expect(result.records[3].rdata.as(UnknownRData.self)?.bytes == [])
    }

    @Test func genericRDATAThatIsNotValidForTheTypeIsAnError() {
        let result = parse("a.example. 60 IN A \\# 3 c00002")
        #expect(result.errors.map(\.code) == [.badRDATA])
    }

    @Test func genericLengthMismatchIsAnError() {
        let result = parse("a.example. 60 IN TYPE731 \\# 5 abcdef")
        #expect(result.errors.map(\.code) == [.badRDATA])
    }
}

/// Errors: every one reported, each located, and parsing goes on after each.
@Suite struct ZoneFileErrorTests {
    @Test func everyErrorIsReportedWithLineAndColumn() {
        let result = parse("""
        $ORIGIN example.
        $TTL 60
        ok A 192.0.2.1
        bad1 A 192.0.2.300
        bad2 MX ten mail
        bad3 BOGUSTYPE 1
        ok2 A 192.0.2.2
        """)
        #expect(result.records.map(\.owner) == ["ok.example.", "ok2.example."])
        #expect(result.errors.map(\.code) == [.badRDATA, .badRDATA, .unknownType])
        #expect(result.errors.map(\.line) == [4, 5, 6])
        #expect(result.errors.map(\.column) == [8, 9, 6])
        #expect(result.errors[0].description.hasPrefix("t.zone:4:8: "))
    }

    @Test func missingRDATAFieldPointsAtTheEndOfTheEntry() {
        let result = parse("a.example. 60 MX 10")
        #expect(result.errors.map(\.code) == [.badRDATA])
        #expect(result.errors.first?.line == 1)
        #expect(result.errors.first?.column == 20)
    }

    @Test func trailingDataIsAnError() {
        let result = parse("a.example. 60 A 192.0.2.1 192.0.2.2")
        #expect(result.errors.map(\.code) == [.badRDATA])
        #expect(result.errors.first?.column == 27)
    }

    @Test func unbalancedParenthesesAndQuotes() {
        #expect(parse("a.example. 60 A 192.0.2.1 )").errors.map(\.code) == [.syntax])
        let open = parse("a.example. 60 IN SOA ns hm ( 1 2 3\n4 5\n")
        #expect(open.errors.map(\.code) == [.syntax])
        #expect(open.errors.first?.line == 1)
        #expect(parse("a.example. 60 TXT \"unterminated\nb.example. 60 A 192.0.2.1").errors.map(\.code) == [.syntax])
    }

    @Test func syntaxErrorInsideParenthesesSkipsTheWholeEntry() {
        let result = parse("a.example. 60 TXT ( \"open\n more ) \nb.example. 60 A 192.0.2.1")
        #expect(result.errors.map(\.code) == [.syntax])
        #expect(result.records.map(\.owner) == ["b.example."])
    }

    @Test func relativeNameWithoutOrigin() {
        #expect(parse("www 60 A 192.0.2.1").errors.map(\.code) == [.missingOrigin])
        #expect(parse("a.example. 60 NS ns").errors.map(\.code) == [.badRDATA])
    }

    @Test func badOwnerNames() {
        let long = String(repeating: "a", count: 64)
        #expect(parse("\(long).example. 60 A 192.0.2.1").errors.map(\.code) == [.badOwner])
        #expect(parse("a..example. 60 A 192.0.2.1").errors.map(\.code) == [.badOwner])
        #expect(parse("\"quoted\" 60 A 192.0.2.1", origin: "example.").errors.map(\.code) == [.badOwner])
    }

    @Test func metaTypesAndDoubleClassesAreRefused() {
        #expect(parse("a.example. 60 IN AXFR").errors.map(\.code) == [.unknownType])
        #expect(parse("a.example. 60 IN CH A 192.0.2.1").errors.map(\.code) == [.badClass])
        #expect(parse("a.example. 60 70 A 192.0.2.1").errors.map(\.code) == [.badTTL])
        #expect(parse("a.example. 99999999999 A 192.0.2.1").errors.map(\.code) == [.badTTL])
        #expect(parse("a.example. 60").errors.map(\.code) == [.unknownType])
    }

    @Test func unknownDirective() {
        #expect(parse("$GENERATE 1-10 a$ A 192.0.2.$").errors.map(\.code) == [.badDirective])
        #expect(parse("$TTL").errors.map(\.code) == [.badDirective])
        #expect(parse("$TTL soon").errors.map(\.code) == [.badTTL])
    }
}

/// `$INCLUDE` (RFC 1035 §5.1): off unless a loader is given; origin scoping; loops.
@Suite struct RFC1035_5_1_IncludeTests {
    @Test func includeIsRefusedWithoutLoader() {
        let result = parse("$INCLUDE other.zone", origin: "example.")
        #expect(result.errors.map(\.code) == [.includeNotAllowed])
    }

    @Test func includedFileGetsItsOwnOriginAndDoesNotChangeOurs() {
        let files: [String: String] = [
            "dir/inner.zone": "www 60 A 192.0.2.1\n$ORIGIN elsewhere.\nx 60 A 192.0.2.9",
        ]
        let loader: @Sendable (String) throws -> [UInt8] = { path in
            guard let text = files[path] else { throw ZoneFileError(.io, file: path, line: 0, column: 0, "missing") }
            return Array(text.utf8)
        }
        let parser = ZoneFileParser(origin: "example.", includeLoader: loader)
        let result = parser.parse(text: "$INCLUDE inner.zone sub\nafter 60 A 192.0.2.2", fileName: "dir/main.zone")
        #expect(result.errors.isEmpty)
        #expect(result.records.map(\.owner) == ["www.sub.example.", "x.elsewhere.", "after.example."])
    }

    @Test func includeErrorsNameTheIncludedFile() {
        let loader: @Sendable (String) throws -> [UInt8] = { _ in Array("bad 60 A nope".utf8) }
        let result = parse("$INCLUDE /abs/inner.zone", origin: "example.", loader: loader)
        #expect(result.errors.map(\.file) == ["/abs/inner.zone"])
        #expect(result.errors.map(\.code) == [.badRDATA])
    }

    @Test func includeLoopIsAnError() {
        let loader: @Sendable (String) throws -> [UInt8] = { _ in Array("$INCLUDE t.zone".utf8) }
        let result = parse("$INCLUDE t.zone", origin: "example.", loader: loader)
        #expect(result.errors.map(\.code) == [.includeLoop])
    }

    @Test func unreadableIncludeIsAnIOError() {
        struct Missing: Error {}
        let loader: @Sendable (String) throws -> [UInt8] = { _ in throw Missing() }
        #expect(parse("$INCLUDE nope.zone", origin: "example.", loader: loader).errors.map(\.code) == [.io])
    }
}

/// The printer's output reads back to the same records.
@Suite struct ZoneFilePrinterTests {
    @Test func printedZoneReparsesToTheSameRecords() {
        let original = parse("""
        $ORIGIN example.
        $TTL 300
        @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
          NS ns1
          MX 0 .
        ns1 A 192.0.2.1
            AAAA 2001:db8::53
        w\\@eird\\009 CNAME ns1
        dn DNAME other.example.net.
        p PTR ns1
        x CLASS3 TYPE731 \\# 6 abcdef012345
        """)
        #expect(original.errors.isEmpty)
        let printed = ZoneFilePrinter.print(original.records)
        let again = parse(printed)
        #expect(again.errors.isEmpty)
        #expect(again.records == original.records)
        #expect(printed.hasPrefix("example.\t300\tIN\tSOA\tns1.example. hostmaster.example. 1 7200 3600 1209600 300\n"))
    }
}
