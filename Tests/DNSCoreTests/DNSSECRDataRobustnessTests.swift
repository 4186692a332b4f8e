import DNSCore
import Testing

/// Every DNSSEC and DANE layout fed cut and corrupted copies of valid RDATA: each must decode
/// or throw (never trap), and whatever decodes must survive wire and text round trips.
@Suite struct DNSSECRDataRobustnessTests {
    static let samples: [(RRType, String)] = [
        (.ds, RFC4034_5_DSTests.rfcText),
        (.cds, "0 0 0 00"),
        (.dnskey, RFC4034_2_DNSKEYTests.section2_3Text),
        (.cdnskey, "0 3 0 AA=="),
        (.rrsig, RFC4034_3_RRSIGTests.section3_3Text),
        (.nsec, RFC4034_4_NSECTests.section4_3Text),
        (.nsec3, "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG TYPE1234"),
        (.nsec3param, "1 0 12 aabbccdd"),
        (.tlsa, RFC6698_2_TLSATests.firstExample),
        (.smimea, "3 1 0 00"),
    ]

    @Test(arguments: samples)
    func registryKnowsTheType(_ type: RRType, text: String) throws {
        #expect(RData.format(for: type) != nil)
        let rdata = try RData(type: type, text: text)
        #expect(rdata.type == type)
        let generic = try RData(type: type, text: UnknownRData(bytes: rdata.wire).presentation)
        #expect(generic == rdata)
    }

    @Test(arguments: samples)
    func mutatedWireNeverTraps(_ type: RRType, text: String) throws {
        let wire = try RData(type: type, text: text).wire
        var inputs: [[UInt8]] = (0...wire.count).map { Array(wire.prefix($0)) }
        for index in wire.indices {
            for replacement: UInt8 in [0x00, 0xFF, wire[index] ^ 0x01, wire[index] &+ 0x20] {
                var copy = wire
                copy[index] = replacement
                inputs.append(copy)
            }
        }
        inputs.append(wire + [0x00])
        inputs.append(wire + [0x01, 0x01, 0x40])
        var decoded = 0
        for input in inputs {
            guard let rdata = try? decodeRData(type, input) else { continue }
            decoded += 1
            #expect(try decodeRData(type, rdata.wire) == rdata, "\(input)")
            let reparsed = try RData(type: type, text: rdata.presentation)
            #expect(reparsed == rdata, "\(rdata.presentation)")
        }
        #expect(decoded > 0)
    }
}
