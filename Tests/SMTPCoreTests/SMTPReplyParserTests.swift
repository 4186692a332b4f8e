import Testing
@testable import SMTPCore

/// RFC 5321 §4.2: reply syntax, multi-line replies; §4.5.3.1.5 line limits.
@Suite struct RFC5321_4_2_ReplyParserTests {
    func parseAll(_ chunks: [[UInt8]], limits: SMTPReplyParser.Limits = .init()) throws(SMTPReplyError) -> [SMTPReply] {
        var parser = SMTPReplyParser(limits: limits)
        var replies: [SMTPReply] = []
        for chunk in chunks {
            parser.append(chunk)
            while let reply = try parser.nextReply() { replies.append(reply) }
        }
        return replies
    }

    @Test func multiLineReplyInEverySplit() throws {
        let wire = "220 mx.example.test ESMTP\r\n250-mx.example.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 STARTTLS\r\n221 2.0.0 Bye\r\n".bytes
        for chunks in splittings(of: wire) {
            let replies = try parseAll(chunks)
            #expect(replies.count == 3)
            #expect(replies[0] == SMTPReply(code: .serviceReady, "mx.example.test ESMTP"))
            #expect(replies[1].code == .ok)
            #expect(replies[1].lines == ["mx.example.test", "PIPELINING", "SIZE 1000", "STARTTLS"])
            #expect(replies[2].enhancedStatusCode == EnhancedStatusCode(statusClass: 2, subject: 0, detail: 0))
        }
    }

    @Test func bareLFAndCodeOnlyLinesAccepted() throws {
        let replies = try parseAll(["250-first\n250\r\n".bytes])
        #expect(replies == [SMTPReply(code: .ok, lines: ["first", ""])])
    }

    @Test func wireRoundTrip() throws {
        let reply = SMTPReply(code: .ok, lines: ["a", "b c", "d"])
        #expect(reply.wire == "250-a\r\n250-b c\r\n250 d\r\n".bytes)
        #expect(try parseAll([reply.wire]) == [reply])
        // CR/LF inside text cannot split the reply.
        let hostile = SMTPReply(code: .ok, lines: ["x\r\n250 injected"])
        #expect(try parseAll([hostile.wire]).count == 1)
    }

    @Test func mismatchedCode() {
        #expect(throws: SMTPReplyError.self) { try parseAll(["250-a\r\n251 b\r\n".bytes]) }
        do { _ = try parseAll(["250-a\r\n251 b\r\n".bytes]) } catch { #expect(error.code == .mismatchedCode && error.lineIndex == 1) }
    }

    @Test(arguments: ["abc ok\r\n", "25\r\n", "600 no\r\n", "199 no\r\n", "2x0 no\r\n", "\r\n"])
    func invalidCode(_ text: String) {
        do { _ = try parseAll([text.bytes]); Issue.record("no error") } catch { #expect(error.code == .invalidCode) }
    }

    @Test func invalidSeparator() {
        do { _ = try parseAll(["250+x\r\n".bytes]); Issue.record("no error") } catch { #expect(error.code == .invalidSeparator) }
    }

    @Test func invalidUTF8() {
        do { _ = try parseAll([[50, 53, 48, 32, 0xFF, 13, 10]]); Issue.record("no error") } catch { #expect(error.code == .invalidText) }
    }

    /// Found by the fuzzer: a lone CR inside the text. Refused, like every control but HT.
    @Test(arguments: [[UInt8]("220 mx ESMTS\rTLS\r\n".utf8), [50, 53, 48, 32, 0, 13, 10], [50, 53, 48, 32, 0x7F, 13, 10]])
    func controlCharacterInText(_ wire: [UInt8]) {
        do { _ = try parseAll([wire]); Issue.record("no error") } catch { #expect(error.code == .invalidText) }
        #expect((try? parseAll(["250 a\tb\r\n".bytes]))?.first?.lines == ["a\tb"])
    }

    @Test func lineTooLongWithAndWithoutEnd() {
        let limits = SMTPReplyParser.Limits(maxLineLength: 600, maxLines: 100)
        let long = "250 " + String(repeating: "x", count: 700)
        for chunks in splittings(of: (long + "\r\n").bytes, randomCount: 3) {
            do { _ = try parseAll(chunks, limits: limits); Issue.record("no error") } catch { #expect(error.code == .lineTooLong) }
        }
        // An endless line with no line ending: noticed once the limit is passed.
        var parser = SMTPReplyParser(limits: limits)
        parser.append(String(repeating: "2", count: 602).bytes)
        #expect(throws: SMTPReplyError.self) { try parser.nextReply() }
        #expect(parser.isInsideReply == false)
        // Exactly at the limit is fine.
        let exact = "250 " + String(repeating: "y", count: 596) + "\r\n"
        #expect((try? parseAll([exact.bytes], limits: limits))?.count == 1)
    }

    @Test func tooManyLines() {
        let limits = SMTPReplyParser.Limits(maxLineLength: 100, maxLines: 5)
        let five = String(repeating: "250-x\r\n", count: 4) + "250 end\r\n"
        #expect((try? parseAll([five.bytes], limits: limits))?.first?.lines.count == 5)
        let endless = String(repeating: "250-x\r\n", count: 50)
        do { _ = try parseAll([endless.bytes], limits: limits); Issue.record("no error") } catch { #expect(error.code == .tooManyLines) }
    }

    @Test func errorIsSticky() throws {
        var parser = SMTPReplyParser()
        parser.append("bad\r\n250 ok\r\n".bytes)
        #expect(throws: SMTPReplyError.self) { try parser.nextReply() }
        #expect(throws: SMTPReplyError.self) { try parser.nextReply() }
        #expect(throws: SMTPReplyError.self) { try parser.consume(line: "250 ok".bytes) }
    }

    @Test func resetDropsBufferedBytes() throws {
        var parser = SMTPReplyParser()
        parser.append("250-half\r\n250 rest\r\n".bytes)
        #expect(parser.reset() == 20)
        parser.append("220 fresh\r\n".bytes)
        #expect(try parser.nextReply() == SMTPReply(code: .serviceReady, "fresh"))
    }

    @Test func consumeLineDirectly() throws {
        var parser = SMTPReplyParser(limits: .init(maxLineLength: 10, maxLines: 3))
        #expect(try parser.consume(line: "250-a".bytes) == nil)
        #expect(parser.isInsideReply)
        #expect(try parser.consume(line: "250 b".bytes) == SMTPReply(code: .ok, lines: ["a", "b"]))
        #expect(throws: SMTPReplyError.self) { try parser.consume(line: "250 0123456789".bytes) }
    }
}

/// RFC 3463 §2 enhanced status codes and RFC 2034 §3 (same class as the reply).
@Suite struct RFC3463_2_EnhancedStatusCodeTests {
    @Test func parsesAndPrints() throws {
        let code = try #require(EnhancedStatusCode(prefixOf: "5.7.1 denied"))
        #expect(code == EnhancedStatusCode(statusClass: 5, subject: 7, detail: 1))
        #expect(code.description == "5.7.1")
        #expect(EnhancedStatusCode(prefixOf: "2.100.999")?.detail == 999)
    }

    @Test(arguments: ["3.0.0 x", "2.0 x", "2.0.0.0", "2.01.0", "2.1000.0", "22.0.0", "x.1.1", "2..1", "text"])
    func rejects(_ text: String) {
        #expect(EnhancedStatusCode(prefixOf: text[...]) == nil)
    }

    @Test func mustMatchReplyClass() {
        #expect(SMTPReply(code: .ok, "2.1.0 Ok").enhancedStatusCode != nil)
        #expect(SMTPReply(code: .ok, "5.1.0 Ok").enhancedStatusCode == nil)
        #expect(SMTPReply(code: .tlsNotAvailable, "4.7.0 TLS not available").enhancedStatusCode?.statusClass == 4)
    }

    @Test func replyCodeCategories() {
        #expect(SMTPReplyCode.ok.isPositiveCompletion)
        #expect(SMTPReplyCode.startMailInput.isPositiveIntermediate)
        #expect(SMTPReplyCode.tlsNotAvailable.isTransientNegative)
        #expect(SMTPReplyCode.badSequence.isPermanentNegative)
        #expect(SMTPReplyCode.ok < SMTPReplyCode.badSequence)
        #expect(SMTPReplyCode.ok.description == "250")
        #expect(SMTPReply(code: .ok, lines: []).lines == [""])
    }
}

/// RFC 5321 §2.3.8 line endings and the limit of the splitter.
@Suite struct RFC5321_2_3_8_LineSplitterTests {
    func lines(_ chunks: [[UInt8]], max: Int = 10, requireCRLF: Bool) -> [SMTPLineSplitter.Event] {
        var splitter = SMTPLineSplitter(maxLineLength: max, requireCRLF: requireCRLF)
        var events: [SMTPLineSplitter.Event] = []
        for chunk in chunks {
            splitter.append(chunk)
            while let event = splitter.next() { events.append(event) }
        }
        return events
    }

    @Test func crlfOnlyKeepsBareLF() {
        for chunks in splittings(of: "a\nb\r\nc\r\n".bytes) {
            #expect(lines(chunks, requireCRLF: true) == [.line("a\nb".bytes), .line("c".bytes)])
        }
    }

    @Test func lenientSplitsOnLF() {
        for chunks in splittings(of: "a\nb\r\n\r\n".bytes) {
            #expect(lines(chunks, requireCRLF: false) == [.line("a".bytes), .line("b".bytes), .line([])])
        }
    }

    @Test func overlongLineReportedOnceThenResumes() {
        let wire = ("0123456789abcdef\r\nok\r\n").bytes
        for chunks in splittings(of: wire) {
            #expect(lines(chunks, requireCRLF: true) == [.lineTooLong, .line("ok".bytes)])
        }
        // Exactly the limit, with its CR arriving separately.
        #expect(lines(["0123456789\r".bytes, "\n".bytes], requireCRLF: true) == [.line("0123456789".bytes)])
    }

    @Test func endlessLineIsBounded() {
        var splitter = SMTPLineSplitter(maxLineLength: 10, requireCRLF: true)
        var tooLong = 0
        for _ in 0..<1000 {
            splitter.append(Array(repeating: UInt8(ascii: "x"), count: 100))
            while let event = splitter.next() { if event == .lineTooLong { tooLong += 1 } }
            #expect(splitter.bufferedByteCount <= 12)
        }
        #expect(tooLong == 1)
        #expect(splitter.reset() <= 12)
    }

    @Test func zeroLimitIsClamped() {
        #expect(SMTPLineSplitter(maxLineLength: 0).maxLineLength == 1)
    }
}
