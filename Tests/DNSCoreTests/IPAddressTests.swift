import Testing
@testable import DNSCore

@Suite struct IPv4AddressTests {
    @Test func parsing() {
        #expect(IPv4Address("192.0.2.1") == IPv4Address(192, 0, 2, 1))
        #expect(IPv4Address("0.0.0.0")?.rawValue == 0)
        #expect(IPv4Address("255.255.255.255")?.rawValue == .max)
        #expect(IPv4Address("10.0.0.1")?.octets == [10, 0, 0, 1])
        for bad in ["", "1", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "256.0.0.1", "01.2.3.4", "1.2.3.04",
                    "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.0x4", "1000.1.1.1", "1.2.3.-4", "1.2.3.4/24"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    @Test func printing() {
        #expect(IPv4Address(192, 0, 2, 1).description == "192.0.2.1")
        #expect(IPv4Address(rawValue: 0).description == "0.0.0.0")
        #expect(IPv4Address(rawValue: .max).description == "255.255.255.255")
    }
}

@Suite struct IPv6AddressTests {
    func address(_ text: String) throws -> IPv6Address { try #require(IPv6Address(text: text), "\(text)") }

    @Test func parsingRFC4291Forms() throws {
        #expect(try address("2001:db8:0:0:0:0:2:1").bytes == hex("20010db8000000000000000000020001"))
        #expect(try address("2001:DB8::2:1") == address("2001:db8:0:0:0:0:2:1"))
        #expect(try address("::").bytes == [UInt8](repeating: 0, count: 16))
        #expect(try address("::1").bytes == [UInt8](repeating: 0, count: 15) + [1])
        #expect(try address("1::").bytes == [0, 1] + [UInt8](repeating: 0, count: 14))
        #expect(try address("1:2:3:4:5:6:7::").bytes == hex("00010002000300040005000600070000"))
        #expect(try address("::2:3:4:5:6:7:8").bytes == hex("00000002000300040005000600070008"))
        #expect(try address("::ffff:192.0.2.1").bytes == hex("00000000000000000000ffffc0000201"))
        #expect(try address("1:2:3:4:5:6:192.0.2.1").bytes == hex("000100020003000400050006c0000201"))
        #expect(try address("2001:db8:122:344::192.0.2.33").bytes == hex("20010db80122034400000000c0000221"))
        #expect(try address("0000:0000:0000:0000:0000:0000:0000:0001") == address("::1"))
        #expect(try address("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255").bytes == [UInt8](repeating: 0xFF, count: 16))
    }

    @Test func rejects() {
        for bad in ["", ":", ":::", "1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1:", ":1",
                    "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "12345::", "g::", "1.2.3.4", "::1.2.3.4:5",
                    "::256.0.0.1", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", "::ffff:1.2.3", "1::2:", " ::1",
                    "1:2:3:4:5:6:7:8:1.2.3.4", String(repeating: "1", count: 46)] {
            #expect(IPv6Address(text: bad) == nil, "\(bad)")
        }
        #expect(IPv6Address(bytes: [1, 2, 3]) == nil)
    }

    /// RFC 5952 §4: lowercase, no leading zeros, the longest run of two or more zero groups
    /// as `::` (the first on a tie), never a single group. The embedded-IPv4 forms are what
    /// glibc's inet_ntop, ldns 1.8.3 and BIND 9.18 print (checked on Debian 12).
    @Test func printing() throws {
        let cases = [
            ("2001:0DB8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"),
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),        // §4.2.2: one zero group stays
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),                 // §4.2.3: the longest run
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),           // §4.2.3: the first of equal runs
            ("::", "::"), ("::1", "::1"), ("1::", "1::"), ("::2", "::2"), ("::102", "::102"), ("::ffff", "::ffff"),
            ("0:0:0:0:0:1:0:0", "::1:0:0"), ("::1:2:3:4:5:6", "::1:2:3:4:5:6"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            ("::ffff:102:304", "::ffff:1.2.3.4"),                    // §5: IPv4-mapped
            ("::ffff:0:0", "::ffff:0.0.0.0"), ("::ffff:0:1", "::ffff:0.0.0.1"),
            ("::102:304", "::1.2.3.4"),                              // IPv4-compatible, as inet_ntop prints it
            ("::1:0", "::0.1.0.0"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("fe80::a:b", "fe80::a:b"),
        ]
        for (input, output) in cases {
            let parsed = try address(input)
            #expect(parsed.description == output, "\(input)")
            #expect(try address(output) == parsed, "\(output) reparses")
        }
    }
}
