import DNSCore
import Testing

@Suite struct RFC4034_A_1_DNSSECAlgorithmTests {
    @Test func numbersAndMnemonics() {
        #expect(DNSSECAlgorithm(text: "8") == .rsaSHA256)
        #expect(DNSSECAlgorithm(text: "rsasha256") == .rsaSHA256)
        #expect(DNSSECAlgorithm(text: "ECDSAP256SHA256") == .ecdsaP256SHA256)
        #expect(DNSSECAlgorithm(text: "200") == DNSSECAlgorithm(200))
    }

    @Test(arguments: ["", "+5", "-0", "256", "5 ", "RSA"])
    func rejects(_ text: String) {
        #expect(DNSSECAlgorithm(text: text) == nil)
    }
}
