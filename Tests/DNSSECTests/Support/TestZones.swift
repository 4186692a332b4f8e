import DNSCore
import DNSZoneFile
import Testing
@testable import DNSSEC

/// Zones and times the signer tests share.
enum TestZones {
    /// 2024-01-01T00:00:00Z and 30 days later: the window the round-trip tests sign with.
    static let inception: UInt32 = 1_704_067_200
    static let expiration: UInt32 = inception + 30 * 86_400
    static let during = Int64(inception) + 86_400

    static let apex: DomainName = "example."

    /// Every kind of name a signer must treat differently: apex data, plain names, a CNAME, a
    /// wildcard, empty non-terminals, a secure delegation with glue, insecure delegations
    /// (one below empty non-terminals of its own), and mixed-case owners.
    static let text = """
    $ORIGIN example.
    $TTL 3600
    @        SOA   ns1 hostmaster 2024010101 7200 3600 1209600 300
    @        NS    ns1
    @        NS    ns2
    @        MX    10 mail
    ns1      A     192.0.2.1
    ns2      AAAA  2001:db8::2
    mail     A     192.0.2.3
    mail     A     192.0.2.3
    Mail     TXT   "mixed case owner"
    www      CNAME mail
    *.wild   TXT   "wildcard"
    a.b.c.deep A   192.0.2.4
    secure   NS    ns.secure
    secure   DS    12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    ns.secure A    192.0.2.5
    insecure NS    ns.insecure
    ns.insecure A  192.0.2.6
    sub.only.insecure-ents NS ns.elsewhere.net.

    """

    static func records(_ text: String = text, origin: DomainName = apex) -> [ResourceRecord] {
        let result = ZoneFileParser(origin: origin).parse(text: text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        return result.records
    }

    static func options(_ denial: ZoneSigningOptions.Denial) -> ZoneSigningOptions {
        ZoneSigningOptions(denial: denial, inception: inception, expiration: expiration)
    }

    static let denials: [ZoneSigningOptions.Denial] = [
        .nsec,
        .nsec3(.init()),
        .nsec3(.init(salt: [0xAB, 0xCD], iterations: 5, optOut: false)),
        .nsec3(.init(salt: [], iterations: 0, optOut: true)),
    ]

    /// A KSK and a ZSK for each algorithm, made once (RSA key generation is slow).
    static let keyPairs: [DNSSECAlgorithm: [DNSSECSigningKey]] = {
        var keys: [DNSSECAlgorithm: [DNSSECSigningKey]] = [:]
        for algorithm in AlgorithmPolicy.signingAlgorithms {
            keys[algorithm] = [
                try! DNSSECSigningKey.generate(algorithm: algorithm, flags: DNSSECSigningKey.keySigningFlags),
                try! DNSSECSigningKey.generate(algorithm: algorithm, flags: DNSSECSigningKey.zoneSigningFlags),
            ]
        }
        return keys
    }()

    static func signed(_ denial: ZoneSigningOptions.Denial, keys: [DNSSECSigningKey], records: [ResourceRecord] = records()) throws -> SignedZone {
        try ZoneSigner(apex: apex, keys: keys, options: options(denial)).sign(records)
    }

    /// Findings of both checks that are not "secure"/complete.
    static func problems(_ records: [ResourceRecord], apex: DomainName = apex, at now: Int64 = during) -> [String] {
        let signatures = ZoneSignatureCheck(apex: apex, now: now).check(records)
            .filter { $0.verification.status != .secure }
            .map { "\($0.owner) \($0.type): \($0.verification.reasons)" }
        let chain = ZoneChainCheck(apex: apex).check(records).findings.map(\.description)
        return signatures + chain
    }
}
