import Testing
@testable import SMTPTransport

/// RFC 8446 §4.1.2–4.1.3 hellos, RFC 6066 §3 server_name: read when well formed, ignored
/// quietly when not.
@Suite struct RFC8446_4_1_TLSHelloInspectorTests {
    func record(_ handshakeType: UInt8, _ body: [UInt8]) -> [UInt8] {
        let message = [handshakeType, 0, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        return [22, 3, 1, UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
    }

    func clientHello(serverName: String?) -> [UInt8] {
        var extensions: [UInt8] = [0x00, 0x0A, 0x00, 0x02, 0x00, 0x00]  // an unrelated extension first
        if let serverName {
            let name = Array(serverName.utf8)
            let entry = [0] + [UInt8(name.count >> 8), UInt8(name.count & 0xFF)] + name
            let list = [UInt8(entry.count >> 8), UInt8(entry.count & 0xFF)] + entry
            extensions += [0, 0, UInt8(list.count >> 8), UInt8(list.count & 0xFF)] + list
        }
        let body: [UInt8] = [3, 3] + Array(repeating: 7, count: 32) + [0] + [0, 2, 0x13, 0x01] + [1, 0]
            + [UInt8(extensions.count >> 8), UInt8(extensions.count & 0xFF)] + extensions
        return record(1, body)
    }

    func serverHello(suite: UInt16, tls13: Bool) -> [UInt8] {
        let extensions: [UInt8] = tls13 ? [0, 43, 0, 2, 3, 4] : []
        let body: [UInt8] = [3, 3] + Array(repeating: 9, count: 32) + [0] + [UInt8(suite >> 8), UInt8(suite & 0xFF)] + [0]
            + [UInt8(extensions.count >> 8), UInt8(extensions.count & 0xFF)] + extensions
        return record(2, body)
    }

    @Test func clientHelloServerNameInEverySplit() {
        let bytes = clientHello(serverName: "mx.example.test")
        for chunk in [bytes.count, 1, 3, 7] {
            var inspector = TLSHelloInspector()
            var index = 0
            while index < bytes.count {
                inspector.feed(bytes[index..<min(bytes.count, index + chunk)])
                index += chunk
            }
            #expect(inspector.done && inspector.serverName == "mx.example.test")
        }
        var none = TLSHelloInspector()
        none.feed(clientHello(serverName: nil))
        #expect(none.done && none.serverName == nil)
    }

    @Test func serverHelloCipherAndVersion() {
        var inspector = TLSHelloInspector()
        inspector.feed(serverHello(suite: 0x1302, tls13: true))
        #expect(inspector.cipherSuite == 0x1302 && inspector.selectedVersion == 0x0304)
        #expect(SMTPTLSFacts(cipherSuite: 0x1302).cipherName == "TLS_AES_256_GCM_SHA384")
        #expect(SMTPTLSFacts(cipherSuite: 0xABCD).cipherName == "0xABCD")
        #expect(SMTPTLSFacts().cipherName == nil)
        var tls12 = TLSHelloInspector()
        tls12.feed(serverHello(suite: 0xC02F, tls13: false))
        #expect(tls12.cipherSuite == 0xC02F && tls12.selectedVersion == nil)
    }

    @Test func garbageAndTruncationAreIgnored() {
        var notTLS = TLSHelloInspector()
        notTLS.feed("220 hello\r\n".utf8)
        #expect(notTLS.done && notTLS.cipherSuite == nil)
        var truncated = TLSHelloInspector()
        truncated.feed(serverHello(suite: 0x1301, tls13: true).prefix(20))
        #expect(!truncated.done)
        var lying = TLSHelloInspector()
        lying.feed(record(1, [3, 3, 0xFF]))  // a ClientHello cut short inside
        #expect(lying.done && lying.serverName == nil)
        var endless = TLSHelloInspector()
        endless.feed([22, 3, 1, 0xFF, 0xFF] + Array(repeating: 0, count: 70_000))
        #expect(endless.done)
        var other = TLSHelloInspector()
        other.feed(record(11, [0, 0, 0]))
        #expect(other.done && other.cipherSuite == nil)
        var reader = ByteReader([1])
        #expect(reader.u16() == nil && !reader.skip(-1) && reader.bytes(-1) == nil)
    }
}
