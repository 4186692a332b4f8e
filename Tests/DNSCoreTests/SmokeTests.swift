import Testing
import DNSCore

@Test func mxRoundTripsThroughAMessage() throws {
    var message = Message.query(id: 0x1234, name: "example.org.", type: .mx)
    message.header.isResponse = true
    message.answers = [ResourceRecord(owner: "example.org.", ttl: 300, MX(preference: 10, exchange: "mail.example.org."))]
    let decoded = try Message(wire: message.wire)
    #expect(decoded == message)
}
