import Testing
@testable import DNSCore

/// Whatever decodes must print, parse back to the same value and encode to the same octets;
/// whatever does not decode must fail with an error, never a trap.
@Suite struct RDataRoundTripFuzzTests {
    func check(_ type: RRType, _ bytes: [UInt8]) -> Bool {
        guard let rdata = try? decodeRData(type, bytes) else { return false }
        #expect(rdata.wire == bytes, "\(type) \(Base16.encode(bytes))")
        do {
            let reparsed = try RData(type: type, text: rdata.presentation)
            #expect(reparsed == rdata, "\(type) \(rdata.presentation)")
            #expect(reparsed.wire == bytes, "\(type) \(rdata.presentation)")
        } catch {
            Issue.record("\(type) \(rdata.presentation) does not parse back: \(error)")
        }
        return true
    }

    @Test func randomOctets() {
        var generator = SplitMix64(seed: 1)
        for type in [RRType.txt, .hinfo, .srv, .caa, .svcb, .https] {
            var decoded = 0
            for _ in 0..<3000 {
                let count = Int(generator.next() % 24)
                var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                // Bias towards plausible layouts: small length octets.
                for i in bytes.indices where generator.next() % 3 == 0 { bytes[i] %= 8 }
                if check(type, bytes) { decoded += 1 }
            }
            #expect(decoded > 0, "\(type): nothing decoded")
        }
    }

    @Test func characterStringsWithEveryOctet() {
        var generator = SplitMix64(seed: 2)
        for _ in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let length = Int(generator.next() % 20)
                bytes.append(UInt8(length))
                bytes += (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            }
            #expect(check(.txt, bytes))
            let caaTag = Array("tag".utf8)
            #expect(check(.caa, [UInt8(truncatingIfNeeded: generator.next()), 3] + caaTag + bytes))
        }
    }

    @Test func svcbParamSets() {
        var generator = SplitMix64(seed: 3)
        let values: [[UInt8]] = [
            [], [0, 1], [0, 3], [2, 0x68, 0x32], [1, 0x2C, 1, 0x5C], [3, 0x61, 0x20, 0x62], [1, 0x22],
            [0xC0, 0, 2, 1], [UInt8](repeating: 0, count: 16), [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 12),
            [0x3B], [0xFF, 0x00, 0x28, 0x29], Array("/q{?dns}".utf8), [0, 0], [0, 1, 0, 3],
        ]
        var decoded = 0
        for _ in 0..<4000 {
            var keys = Set<UInt16>()
            for _ in 0..<Int(generator.next() % 5) { keys.insert(UInt16(generator.next() % 12)) }
            var bytes: [UInt8] = [0, UInt8(generator.next() % 3)] + (generator.next() % 2 == 0 ? [0] : nameWire("svc.example."))
            for key in keys.sorted() {
                let value = values[Int(generator.next() % UInt64(values.count))]
                bytes += [UInt8(key >> 8), UInt8(key & 0xFF), 0, UInt8(value.count)] + value
            }
            if check(.svcb, bytes) { decoded += 1 }
        }
        #expect(decoded > 200)
    }

    @Test func mutatedPresentation() {
        var generator = SplitMix64(seed: 4)
        let seeds: [(RRType, String)] = [
            (.svcb, #"16 foo.example.org. alpn="f\\\\oo\\,bar,h2" mandatory=alpn port=53 key667="hello\210qoo""#),
            (.https, "1 . alpn=h3,h2 ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1 ech=AAECAw== no-default-alpn"),
            (.txt, #""a\"b" c "\255\000" """#),
            (.caa, #"128 issue "ca.example; x=\"y\"""#),
            (.hinfo, #""PC Intel" "Linux 6""#),
            (.srv, #"1 2 3 t\.x.example."#),
        ]
        let alphabet = Array(#"\"=,;() 0123456789abcdefhkmnoprstxyz.:/"#.utf8)
        var parsed = 0
        for _ in 0..<4000 {
            let (type, seed) = seeds[Int(generator.next() % UInt64(seeds.count))]
            var bytes = Array(seed.utf8)
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let at = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[at] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: at)
                default: if bytes.count > 1 { bytes.remove(at: at) }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let rdata = try? RData(type: type, text: text) else { continue }
            parsed += 1
            do {
                let reparsed = try RData(type: type, text: rdata.presentation)
                #expect(reparsed == rdata, "\(text) printed \(rdata.presentation)")
                #expect(try decodeRData(type, rdata.wire) == rdata, "\(text)")
            } catch {
                Issue.record("\(text) printed \(rdata.presentation), which does not parse: \(error)")
            }
        }
        #expect(parsed > 500)
    }
}
