import PeerTestSupport
import DNSServer
import Testing

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1", 53), ("127.0.0.10:5353", "127.0.0.10", 5353), ("[::1]:5353", "::1", 5353),
        ("[::1]", "::1", 53), ("::1", "::1", 53), ("localhost:0", "localhost", 0),
    ])
    func parses(_ text: String, _ host: String, _ port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(arguments: ["", "[::1", "[::1]5353", "127.0.0.1:x", "127.0.0.1:70000", ":53"])
    func refuses(_ text: String) {
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: text) }
    }

    @Test func printsIPv6InBrackets() {
        #expect(ListenAddress(host: "::1", port: 53).description == "[::1]:53")
        #expect(ListenAddress(host: "127.0.0.1", port: 53).description == "127.0.0.1:53")
    }
}
