import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Testing

/// One server authoritative for every level (no referrals): zones are found from RRSIG
/// signers and SOA records, their parents from the DS signers (RFC 4035 §3.1.4.1).
@Suite(.serialized) struct SharedServerResolutionTests {
    @Test func judgementsWithoutReferrals() async throws {
        try await Lab.runAllInOne(built: try LabZones.built.get()) { lab, _ in
            let resolver = Lab.resolver(lab)
            let expected: [(String, RRType, SecurityStatus)] = [
                ("www.secure.test.", .a, .secure), ("www.unsigned.test.", .a, .insecure), ("www.badds.test.", .a, .bogus),
                ("www.expired.test.", .a, .bogus), ("nope.nsec3.test.", .a, .secure), ("www.child.optout.test.", .a, .insecure),
            ]
            for (text, type, status) in expected {
                let result = try await resolver.resolve(name(text), type)
                #expect(result.status == status, "\(text) \(type): \(result.status)\n\(ResolutionReport.text(result))")
            }
        }
    }
}
