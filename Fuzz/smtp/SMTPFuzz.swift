// libFuzzer entry point for SMTPCore's parsers. Compiled by Fuzz/run.sh into one module with
// the SMTPCore sources, so their API is visible without an import.
//
// Properties: (1) replies fed in two pieces (split at an input-chosen point) either throw an
// SMTPReplyError or yield replies whose wire form parses back to equal replies, with every
// reply within the limits; (2) every line parsed as a command either throws or re-encodes to
// a command that parses back equal; (3) the server state machine takes every line (and
// overlong-line reports) without trapping. Anything else aborts.

@_cdecl("LLVMFuzzerTestOneInput")
public func smtpFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let limits = SMTPReplyParser.Limits(maxLineLength: 512, maxLines: 20)

    var parser = SMTPReplyParser(limits: limits)
    var replies: [SMTPReply] = []
    parser.append(bytes[..<split])
    do {
        while let reply = try parser.nextReply() { replies.append(reply) }
        parser.append(bytes[split...])
        while let reply = try parser.nextReply() { replies.append(reply) }
    } catch {
        _ = error.description
    }
    for reply in replies {
        if reply.lines.count > limits.maxLines { fatalError("reply over the line limit") }
        var again = SMTPReplyParser(limits: SMTPReplyParser.Limits(maxLineLength: 4096, maxLines: 100))
        again.append(reply.wire)
        guard let reparsed = try? again.nextReply(), reparsed == reply else { fatalError("reply does not round-trip: \(reply)") }
        _ = EHLOCapabilities(reply: reply).reply()
        _ = reply.enhancedStatusCode
    }

    var server = SMTPServerStateMachine(configuration: .init(hostname: "mx.fuzz", startTLSAvailable: true, maxMessageSize: 4096))
    _ = server.start()
    var splitter = SMTPLineSplitter(maxLineLength: 512, requireCRLF: true)
    splitter.append(bytes)
    while let event = splitter.next() {
        switch event {
        case .lineTooLong:
            _ = server.lineTooLong()
        case .line(let line):
            if let command = try? SMTPCommand.parse(line: line), let wire = try? command.encoded() {
                guard let back = try? SMTPCommand.parse(line: wire.dropLast(2)), back == command else {
                    fatalError("command does not round-trip: \(command)")
                }
            }
            if case .sendAndStartTLS = server.receive(line: line) { _ = server.tlsEstablished() }
        }
    }
    return 0
}
