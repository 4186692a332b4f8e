import Testing
@testable import SMTPCore

/// RFC 5321 §4.1.1 command syntax, §2.3.8 CRLF.
@Suite struct RFC5321_4_1_1_CommandTests {
    @Test func encodes() throws {
        #expect(try SMTPCommand.ehlo("client.test").encoded() == "EHLO client.test\r\n".bytes)
        #expect(try SMTPCommand.helo("client.test").encoded() == "HELO client.test\r\n".bytes)
        #expect(try SMTPCommand.startTLS.encoded() == "STARTTLS\r\n".bytes)
        #expect(try SMTPCommand.mail(reversePath: "", parameters: []).encoded() == "MAIL FROM:<>\r\n".bytes)
        #expect(try SMTPCommand.mail(reversePath: "a@b.test", parameters: ["SIZE=10", "BODY=8BITMIME"]).encoded() == "MAIL FROM:<a@b.test> SIZE=10 BODY=8BITMIME\r\n".bytes)
        #expect(try SMTPCommand.rcpt(forwardPath: "c@d.test", parameters: []).encoded() == "RCPT TO:<c@d.test>\r\n".bytes)
        #expect(try SMTPCommand.data.encoded() == "DATA\r\n".bytes)
        #expect(try SMTPCommand.quit.encoded() == "QUIT\r\n".bytes)
        #expect(try SMTPCommand.rset.encoded() == "RSET\r\n".bytes)
        #expect(try SMTPCommand.noop.encoded() == "NOOP\r\n".bytes)
    }

    @Test(arguments: [
        SMTPCommand.ehlo(""), .ehlo("a b"), .helo("x\r\nQUIT"), .mail(reversePath: "a>b", parameters: []),
        .mail(reversePath: "a@b", parameters: [""]), .rcpt(forwardPath: "é@x", parameters: []), .rcpt(forwardPath: "a", parameters: ["X=\n"]),
    ])
    func refusesInjection(_ command: SMTPCommand) {
        do { _ = try command.encoded(); Issue.record("encoded") } catch { #expect(error.code == .invalidArgument) }
    }

    @Test func parsesEveryCommandRoundTrip() throws {
        let commands: [SMTPCommand] = [
            .ehlo("c.test"), .helo("c.test"), .startTLS, .mail(reversePath: "", parameters: ["SIZE=5"]),
            .rcpt(forwardPath: "x@y.test", parameters: []), .data, .quit, .rset, .noop,
        ]
        for command in commands {
            let wire = try command.encoded()
            #expect(try SMTPCommand.parse(line: wire.dropLast(2)) == command)
        }
    }

    @Test func caseInsensitiveAndLenientSpacing() throws {
        #expect(try SMTPCommand.parse(line: "ehlo c.test  ".bytes) == .ehlo("c.test"))
        #expect(try SMTPCommand.parse(line: "mail from: <a@b>".bytes) == .mail(reversePath: "a@b", parameters: []))
        #expect(try SMTPCommand.parse(line: "NOOP anything".bytes) == .noop)
        #expect(try SMTPCommand.parse(line: "quit".bytes).verb == "QUIT")
    }

    @Test(arguments: ["FOO", "", "X-COMMAND y"])
    func unrecognized(_ line: String) {
        do { _ = try SMTPCommand.parse(line: line.bytes); Issue.record("parsed") } catch { #expect(error.code == .unrecognized) }
    }

    @Test(arguments: ["VRFY x", "EXPN list", "AUTH PLAIN", "BDAT 10 LAST"])
    func notImplemented(_ line: String) {
        do { _ = try SMTPCommand.parse(line: line.bytes); Issue.record("parsed") } catch { #expect(error.code == .notImplemented) }
    }

    @Test(arguments: ["EHLO", "HELO a b", "STARTTLS now", "DATA x", "QUIT y", "RSET z", "MAIL TO:<a>", "MAIL FROM:a@b", "MAIL FROM:<a", "MAIL FROM:<a<b>", "MAIL FROM:<a>x", "RCPT TO:<>", "RCPT FROM:<a>", "EHLO a\u{1}"])
    func syntax(_ line: String) {
        do { _ = try SMTPCommand.parse(line: line.bytes); Issue.record("parsed") } catch { #expect(error.code == .syntax) }
    }

    @Test func descriptions() {
        #expect(SMTPCommandError(.syntax, reason: "r").description.contains("r"))
        #expect(SMTPReplyError(.invalidCode, lineIndex: 0, reason: "q").description.contains("q"))
        #expect(SMTPReply(code: .ok, lines: ["a", "b"]).text == "a\nb")
    }
}

/// RFC 5321 §4.1.1.1 EHLO reply; RFC 3207, 2920, 1870, 6152, 6531, 2034 keywords.
@Suite struct RFC5321_4_1_1_1_EHLOCapabilitiesTests {
    @Test func parsesKnownAndKeepsUnknown() {
        let reply = SMTPReply(code: .ok, lines: ["mx.test greets you", "pipelining", "SIZE 10240000", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "STARTTLS", "AUTH PLAIN LOGIN", "X-FOO"])
        let caps = EHLOCapabilities(reply: reply)
        #expect(caps.greeting == "mx.test greets you")
        #expect(caps.startTLS && caps.pipelining && caps.eightBitMIME && caps.smtpUTF8 && caps.enhancedStatusCodes)
        #expect(caps.size == .some(10_240_000))
        #expect(caps.unknown == [.init(keyword: "AUTH", parameters: ["PLAIN", "LOGIN"]), .init(keyword: "X-FOO")])
        #expect(EHLOCapabilities(reply: caps.reply()) == caps)
    }

    @Test func sizeForms() {
        func size(_ line: String) -> UInt64?? { EHLOCapabilities(reply: SMTPReply(code: .ok, lines: ["x", line])).size }
        #expect(size("SIZE") == .some(nil))
        #expect(size("SIZE 0") == .some(nil))
        #expect(size("SIZE lots") == .some(nil))
        #expect(size("8BITMIME") == nil)
        #expect(size("size 5") == .some(5))
    }

    @Test func minimalReply() {
        let caps = EHLOCapabilities(reply: SMTPReply(code: .ok, lines: ["only.name", ""]))
        #expect(caps.extensions.isEmpty)
        #expect(!caps.startTLS)
    }
}
