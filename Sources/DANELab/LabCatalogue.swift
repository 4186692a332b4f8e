import DANE
import DNSCore
import DNSServer

/// The built-in scenarios. Every expectation is derived from RFC 7672 §2.2 and §3 (and, for
/// the `go6lab-*` rows, from what Postfix logged in the 2015 experiment and logs today), never
/// from what the code outputs. Scenario `n` publishes its mail hosts at 127.0.1.n and fd00::n.
public enum LabCatalogue {
    /// The lab's top-level domain; every scenario's zones hang below it.
    public static let tld = "lab."

    public static let all: [LabScenario] = go6lab + controls + dnssecFailures + daneTA + hostShapes + algorithms + faults

    public static func scenario(_ id: String) -> LabScenario? { all.first { $0.id == id } }

    // MARK: helpers

    static func v4(_ n: Int) -> String { "127.0.1.\(n)" }
    static func v6(_ n: Int) -> String { "fd00::\(n)" }

    /// `<id>.lab.`: the most common shape, a signed domain whose one MX host `mx` lives in the
    /// same zone at 127.0.1.n and serves the self-signed leaf `mx`.
    static func simple(_ id: String, _ n: Int, story: String, signing: LabZoneSpec.Signing = .standard,
                       tlsa: [LabTLSASpec] = [], certificates: [LabCertificateSpec]? = nil, serves: String? = "mx",
                       sendsCA: Bool = true, extraRecords: [String] = [], faults: [LabScenario.ServerFault] = [],
                       expiredSignatures: [LabZoneSpec.RRsetRef] = [], expected: LabScenario.Expectation) -> LabScenario {
        let domain = "\(id).\(tld)"
        let zone = LabZoneSpec(domain, signing: signing, records: ["@ MX 10 mx", "mx A \(v4(n))"] + extraRecords,
                               tlsa: tlsa, expiredSignatures: expiredSignatures)
        return LabScenario(
            id: id, story: story, domain: domain, zones: [zone],
            certificates: certificates ?? [LabCertificateSpec("mx", dnsNames: ["mx.\(domain)"])],
            hosts: [LabMailHost("mx.\(domain)", addresses: [v4(n)], certificate: serves, sendsCA: sendsCA)],
            faults: faults, expected: expected)
    }

    static func ee311(_ owner: String = "_25._tcp.mx", _ subject: LabTLSASpec.Subject = .leaf("mx")) -> LabTLSASpec {
        LabTLSASpec(owner, 3, 1, 1, of: subject)
    }

    // MARK: the 2015 experiment

    /// Two zones: the mail domain `<id>.lab.` (MX only) and the MX host's zone `<id>-mx.lab.`.
    static func split(_ id: String, _ n: Int, story: String, domainSigned: Bool, hostSigned: Bool, tlsa: LabTLSASpec,
                      certificates: [LabCertificateSpec], serves: String, resolver: LabScenario.ResolverMode = .validating,
                      expected: LabScenario.Expectation, postfix: LabScenario.PostfixText) -> LabScenario {
        let domain = "\(id).\(tld)"
        let hostZone = "\(id)-mx.\(tld)"
        return LabScenario(
            id: id, story: story, domain: domain,
            zones: [
                LabZoneSpec(domain, signing: domainSigned ? .standard : .unsigned, records: ["@ MX 10 mx.\(hostZone)"]),
                LabZoneSpec(hostZone, signing: hostSigned ? .standard : .unsigned, records: ["mx A \(v4(n))"], tlsa: [tlsa]),
            ],
            certificates: certificates,
            hosts: [LabMailHost("mx.\(hostZone)", addresses: [v4(n)], certificate: serves)],
            resolver: resolver, expected: expected, postfix: postfix)
    }

    static let go6lab: [LabScenario] = [
        split("go6lab-1", 1, story: "unsigned domain, MX to a signed host with a valid TLSA",
              domainSigned: false, hostSigned: true, tlsa: ee311("_25._tcp.mx"),
              certificates: [LabCertificateSpec("mx", dnsNames: ["mx.go6lab-1-mx.lab."])], serves: "mx",
              expected: .init(dane: .trusted, may: .untrusted),
              postfix: .init(in2015: "Untrusted TLS connection established (insecure MX RRset: TLSA not used)",
                             today: "Trusted TLS connection established (3.6+: secure TLSA used under an insecure MX RRset)")),
        split("go6lab-2", 2, story: "signed domain, MX to a host in an unsigned zone with a matching TLSA",
              domainSigned: true, hostSigned: false, tlsa: ee311("_25._tcp.mx"),
              certificates: [LabCertificateSpec("mx", dnsNames: ["mx.go6lab-2-mx.lab."])], serves: "mx",
              expected: .both(.untrusted),
              postfix: .init(in2015: "Untrusted TLS connection established (insecure host address: no TLSA lookup)",
                             today: "Untrusted TLS connection established (insecure host address: no TLSA lookup)")),
        split("go6lab-3", 3, story: "as go6lab-2, TLSA corrupted, the server a MITM that gets the mail",
              domainSigned: true, hostSigned: false, tlsa: ee311("_25._tcp.mx", .corrupted(.leaf("real"))),
              certificates: [LabCertificateSpec("real", dnsNames: ["mx.go6lab-3-mx.lab."]),
                             LabCertificateSpec("mitm", dnsNames: ["mx.go6lab-3-mx.lab."])], serves: "mitm",
              expected: .both(.untrusted),
              postfix: .init(in2015: "Untrusted TLS connection established: the mail went to the MITM",
                             today: "Untrusted TLS connection established: the mail goes to the MITM")),
        split("go6lab-4", 4, story: "go6lab-3 behind a permissive resolver: still insecure, still the MITM",
              domainSigned: true, hostSigned: false, tlsa: ee311("_25._tcp.mx", .corrupted(.leaf("real"))),
              certificates: [LabCertificateSpec("real", dnsNames: ["mx.go6lab-4-mx.lab."]),
                             LabCertificateSpec("mitm", dnsNames: ["mx.go6lab-4-mx.lab."])], serves: "mitm",
              resolver: .permissive, expected: .both(.untrusted),
              postfix: .init(in2015: "Untrusted TLS connection established (val-permissive-mode changed nothing): the MITM got it",
                             today: "Untrusted TLS connection established (val-permissive-mode changes nothing): the MITM gets it")),
    ]

    // MARK: controls and DANE-EE variants

    static let controls: [LabScenario] = [
        simple("control-311", 5, story: "control: signed domain and host, DANE-EE 3 1 1 matches", tlsa: [ee311()],
               expected: .both(.verified)),
        simple("mitm-blocked", 6, story: "secure TLSA for the real key, a MITM answers: not delivered",
               tlsa: [ee311("_25._tcp.mx", .leaf("real"))],
               certificates: [LabCertificateSpec("real", dnsNames: ["mx.mitm-blocked.lab."]),
                              LabCertificateSpec("mitm", dnsNames: ["mx.mitm-blocked.lab."])],
               serves: "mitm", expected: .both(.daneFailed)),
        simple("dane-ee-301", 29, story: "DANE-EE 3 0 1 (whole certificate, SHA-256)",
               tlsa: [LabTLSASpec("_25._tcp.mx", 3, 0, 1, of: .leaf("mx"))], expected: .both(.verified)),
        simple("dane-ee-312", 30, story: "DANE-EE 3 1 2 (public key, SHA-512)",
               tlsa: [LabTLSASpec("_25._tcp.mx", 3, 1, 2, of: .leaf("mx"))], expected: .both(.verified)),
        simple("dane-ee-310", 31, story: "DANE-EE 3 1 0 (the public key itself)",
               tlsa: [LabTLSASpec("_25._tcp.mx", 3, 1, 0, of: .leaf("mx"))], expected: .both(.verified)),
        simple("bad-and-good", 32, story: "a wrong and a right 3 1 1 in one RRset: one match is enough",
               tlsa: [ee311("_25._tcp.mx", .corrupted(.leaf("mx"))), ee311()], expected: .both(.verified)),
        simple("expired-leaf-dane-ee", 26, story: "expired leaf under DANE-EE: no date checks (RFC 7672 §3.1.1)",
               tlsa: [ee311()], certificates: [LabCertificateSpec("mx", dnsNames: ["mx.expired-leaf-dane-ee.lab."], expired: true)],
               expected: .both(.verified)),
        simple("unusable-only", 20, story: "only PKIX-TA/PKIX-EE records: TLS required, not authenticated (§3.1.3)",
               tlsa: [LabTLSASpec("_25._tcp.mx", 0, 0, 1, of: .labCA), LabTLSASpec("_25._tcp.mx", 1, 1, 1, of: .leaf("mx"))],
               certificates: [LabCertificateSpec("mx", dnsNames: ["mx.unusable-only.lab."], issuer: .labCA)],
               expected: .both(.untrusted)),
        simple("no-starttls", 21, story: "secure TLSA, the server offers no STARTTLS: not delivered", tlsa: [ee311()],
               serves: nil, expected: .both(.tlsRequiredFailed)),
        simple("denial-nsec", 11, story: "no TLSA, proven by NSEC: opportunistic TLS", expected: .both(.untrusted)),
        simple("denial-nsec3", 12, story: "no TLSA, proven by NSEC3: opportunistic TLS",
               signing: .signed(.ecdsaP256SHA256, .nsec3(iterations: 0)), expected: .both(.untrusted)),
        LabScenario(
            id: "null-mx", story: "null MX (RFC 7505): the domain takes no mail", domain: "null-mx.\(tld)",
            zones: [LabZoneSpec("null-mx.\(tld)", records: ["@ MX 0 ."])], hosts: [], expected: .both(.noMail)),
    ]

    // MARK: DNSSEC failures

    static let dnssecFailures: [LabScenario] = [
        simple("bogus-tlsa-expired", 7, story: "TLSA RRSIG expired: bogus, the host is skipped", tlsa: [ee311()],
               expiredSignatures: [.init("_25._tcp.mx", .tlsa)], expected: .both(.dnsFailed)),
        LabScenario(
            id: "bogus-ds-mx", story: "DS matching no key at the mail domain: MX RRset bogus, deferred",
            domain: "bogus-ds-mx.\(tld)",
            zones: [
                LabZoneSpec("bogus-ds-mx.\(tld)", delegation: .dsMatchingNoKey, records: ["@ MX 10 mx.bogus-ds-mx-host.\(tld)"]),
                LabZoneSpec("bogus-ds-mx-host.\(tld)", records: ["mx A \(v4(8))"], tlsa: [ee311()]),
            ],
            certificates: [LabCertificateSpec("mx", dnsNames: ["mx.bogus-ds-mx-host.\(tld)"])],
            hosts: [LabMailHost("mx.bogus-ds-mx-host.\(tld)", addresses: [v4(8)], certificate: "mx")],
            expected: .both(.dnsFailed)),
        LabScenario(
            id: "bogus-ds-address", story: "DS matching no key at the MX host's zone: addresses bogus, host skipped",
            domain: "bogus-ds-address.\(tld)",
            zones: [
                LabZoneSpec("bogus-ds-address.\(tld)", records: ["@ MX 10 mx.bogus-ds-address-host.\(tld)"]),
                LabZoneSpec("bogus-ds-address-host.\(tld)", delegation: .dsMatchingNoKey, records: ["mx A \(v4(9))"], tlsa: [ee311()]),
            ],
            certificates: [LabCertificateSpec("mx", dnsNames: ["mx.bogus-ds-address-host.\(tld)"])],
            hosts: [LabMailHost("mx.bogus-ds-address-host.\(tld)", addresses: [v4(9)], certificate: "mx")],
            expected: .both(.dnsFailed)),
        LabScenario(
            id: "bogus-ds-tlsa", story: "DS matching no key at the zone holding the TLSA: TLSA bogus, host skipped",
            domain: "bogus-ds-tlsa.\(tld)",
            zones: [
                LabZoneSpec("bogus-ds-tlsa.\(tld)", records: ["@ MX 10 mx", "mx A \(v4(10))"]),
                LabZoneSpec("_tcp.mx.bogus-ds-tlsa.\(tld)", parent: "bogus-ds-tlsa.\(tld)", server: .secondary,
                            delegation: .dsMatchingNoKey, records: [], tlsa: [ee311("_25")]),
            ],
            certificates: [LabCertificateSpec("mx", dnsNames: ["mx.bogus-ds-tlsa.\(tld)"])],
            hosts: [LabMailHost("mx.bogus-ds-tlsa.\(tld)", addresses: [v4(10)], certificate: "mx")],
            expected: .both(.dnsFailed)),
    ]

    // MARK: DANE-TA

    static func daneTA(_ id: String, _ n: Int, selector: UInt8, names: [String], sendsCA: Bool = true, story: String,
                       expected: DANEVerdict) -> LabScenario {
        simple(id, n, story: story, tlsa: [LabTLSASpec("_25._tcp.mx", 2, selector, 1, of: .labCA)],
               certificates: [LabCertificateSpec("mx", dnsNames: names, issuer: .labCA)], sendsCA: sendsCA,
               expected: .both(expected))
    }

    static let daneTA: [LabScenario] = [
        daneTA("dane-ta-201-mx", 13, selector: 0, names: ["mx.dane-ta-201-mx.\(tld)"],
               story: "DANE-TA 2 0 1, the leaf names the MX host", expected: .verified),
        daneTA("dane-ta-201-domain", 14, selector: 0, names: ["dane-ta-201-domain.\(tld)"],
               story: "DANE-TA 2 0 1, the leaf names the next-hop domain (MX RRset secure, §3.2.2)", expected: .verified),
        daneTA("dane-ta-201-neither", 15, selector: 0, names: ["www.elsewhere.invalid"],
               story: "DANE-TA 2 0 1, the leaf names neither: not delivered", expected: .daneFailed),
        daneTA("dane-ta-211-mx", 16, selector: 1, names: ["mx.dane-ta-211-mx.\(tld)"],
               story: "DANE-TA 2 1 1, the leaf names the MX host", expected: .verified),
        daneTA("dane-ta-211-domain", 17, selector: 1, names: ["dane-ta-211-domain.\(tld)"],
               story: "DANE-TA 2 1 1, the leaf names the next-hop domain (MX RRset secure, §3.2.2)", expected: .verified),
        daneTA("dane-ta-211-neither", 18, selector: 1, names: ["www.elsewhere.invalid"],
               story: "DANE-TA 2 1 1, the leaf names neither: not delivered", expected: .daneFailed),
        simple("dane-ta-expired-leaf", 43, story: "DANE-TA 2 1 1, the CA-issued leaf expired: the chain does not validate (§3.1.2)",
               tlsa: [LabTLSASpec("_25._tcp.mx", 2, 1, 1, of: .labCA)],
               certificates: [LabCertificateSpec("mx", dnsNames: ["mx.dane-ta-expired-leaf.\(tld)"], issuer: .labCA, expired: true)],
               expected: .both(.daneFailed)),
        daneTA("dane-ta-not-sent", 19, selector: 0, names: ["mx.dane-ta-not-sent.\(tld)"], sendsCA: false,
               story: "DANE-TA 2 0 1, the server does not send the CA (§3.1.2): not delivered", expected: .daneFailed),
    ]

    // MARK: host shapes: CNAME, implicit MX, two hosts, IPv6

    /// The MX host `mx.<id>.lab.` is a CNAME to `host.<id>-hosting.lab.` (both zones signed).
    static func cname(_ id: String, _ n: Int, story: String, atAlias: LabTLSASpec.Subject?, atTarget: LabTLSASpec.Subject?,
                      expected: DANEVerdict) -> LabScenario {
        let domain = "\(id).\(tld)"
        let hosting = "\(id)-hosting.\(tld)"
        return LabScenario(
            id: id, story: story, domain: domain,
            zones: [
                LabZoneSpec(domain, records: ["@ MX 10 mx", "mx CNAME host.\(hosting)"], tlsa: atAlias.map { [ee311("_25._tcp.mx", $0)] } ?? []),
                LabZoneSpec(hosting, records: ["host A \(v4(n))"], tlsa: atTarget.map { [ee311("_25._tcp.host", $0)] } ?? []),
            ],
            certificates: [LabCertificateSpec("mx", dnsNames: ["mx.\(domain)", "host.\(hosting)"])],
            hosts: [LabMailHost("host.\(hosting)", addresses: [v4(n)], certificate: "mx")],
            expected: .both(expected))
    }

    static let hostShapes: [LabScenario] = [
        cname("cname-tlsa-at-target", 22, story: "MX host is a secure CNAME, TLSA at the target", atAlias: nil, atTarget: .leaf("mx"),
              expected: .verified),
        cname("cname-tlsa-at-alias", 23, story: "MX host is a secure CNAME, TLSA only at the alias (RFC 7672 §2.2.2)",
              atAlias: .leaf("mx"), atTarget: nil, expected: .verified),
        cname("cname-tlsa-conflicting", 24, story: "CNAME'd MX host, wrong TLSA at the target, right at the alias: the target wins",
              atAlias: .leaf("mx"), atTarget: .corrupted(.leaf("mx")), expected: .daneFailed),
        LabScenario(
            id: "implicit-mx", story: "no MX: the domain is its own mail host (RFC 5321 §5.1), TLSA at the domain",
            domain: "implicit-mx.\(tld)",
            zones: [LabZoneSpec("implicit-mx.\(tld)", records: ["@ A \(v4(25))"], tlsa: [ee311("_25._tcp")])],
            certificates: [LabCertificateSpec("mx", dnsNames: ["implicit-mx.\(tld)"])],
            hosts: [LabMailHost("implicit-mx.\(tld)", addresses: [v4(25)], certificate: "mx")],
            expected: .both(.verified)),
        LabScenario(
            id: "primary-fails", story: "two MX hosts, the primary's TLSA does not match: delivered to the secondary",
            domain: "primary-fails.\(tld)",
            zones: [LabZoneSpec("primary-fails.\(tld)", records: ["@ MX 10 mx1", "@ MX 20 mx2", "mx1 A \(v4(27))", "mx2 A \(v4(28))"],
                                tlsa: [ee311("_25._tcp.mx1", .corrupted(.leaf("mx1"))), ee311("_25._tcp.mx2", .leaf("mx2"))])],
            certificates: [LabCertificateSpec("mx1", dnsNames: ["mx1.primary-fails.\(tld)"]),
                           LabCertificateSpec("mx2", dnsNames: ["mx2.primary-fails.\(tld)"])],
            hosts: [LabMailHost("mx1.primary-fails.\(tld)", addresses: [v4(27)], certificate: "mx1"),
                    LabMailHost("mx2.primary-fails.\(tld)", addresses: [v4(28)], certificate: "mx2")],
            expected: .both(.verified)),
        LabScenario(
            id: "ipv6-only", story: "IPv6-only MX host with a matching TLSA",
            domain: "ipv6-only.\(tld)",
            zones: [LabZoneSpec("ipv6-only.\(tld)", records: ["@ MX 10 mx", "mx AAAA \(v6(40))"], tlsa: [ee311()])],
            certificates: [LabCertificateSpec("mx", dnsNames: ["mx.ipv6-only.\(tld)"])],
            hosts: [LabMailHost("mx.ipv6-only.\(tld)", addresses: [v6(40)], certificate: "mx")],
            expected: .both(.verified)),
        dualStack("dual-stack-aaaa-bogus", 41, bogus: .aaaa, story: "dual-stack MX host, AAAA bogus: delivered over IPv4"),
        dualStack("dual-stack-a-bogus", 42, bogus: .a, story: "dual-stack MX host, A bogus: delivered over IPv6"),
    ]

    /// A bogus RRset is unusable (RFC 4035 §5.5), so its addresses are never connected to; the
    /// other family's secure addresses still lead to the host, whose TLSA lookup is made because
    /// the addresses used are secure (RFC 7672 §2.2.2).
    static func dualStack(_ id: String, _ n: Int, bogus: RRType, story: String) -> LabScenario {
        let domain = "\(id).\(tld)"
        return LabScenario(
            id: id, story: story, domain: domain,
            zones: [LabZoneSpec(domain, records: ["@ MX 10 mx", "mx A \(v4(n))", "mx AAAA \(v6(n))"], tlsa: [ee311()])],
            certificates: [LabCertificateSpec("mx", dnsNames: ["mx.\(domain)"])],
            hosts: [LabMailHost("mx.\(domain)", addresses: [v4(n), v6(n)], certificate: "mx")],
            faults: [.init(name: "mx.\(domain)", type: bogus, .corruptSignatures)],
            expected: .both(.verified))
    }

    // MARK: algorithms

    static let algorithms: [LabScenario] = [
        simple("alg-8", 33, story: "zone signed with RSA/SHA-256 (8)", signing: .signed(.rsaSHA256, .nsec), tlsa: [ee311()],
               expected: .both(.verified)),
        simple("alg-13", 34, story: "zone signed with ECDSA P-256 (13)", signing: .signed(.ecdsaP256SHA256, .nsec), tlsa: [ee311()],
               expected: .both(.verified)),
        simple("alg-15", 35, story: "zone signed with Ed25519 (15)", signing: .signed(.ed25519, .nsec), tlsa: [ee311()],
               expected: .both(.verified)),
        simple("nsec3-iterations-151", 36, story: "no TLSA, NSEC3 with 151 iterations (> 150): insecure denial (RFC 9276 §3.2)",
               signing: .signed(.ecdsaP256SHA256, .nsec3(iterations: 151)), expected: .both(.untrusted)),
        LabScenario(
            id: "unsupported-algorithm", story: "MX host's zone only anchored by an Ed448 (16) DS: insecure, TLSA not used",
            domain: "unsupported-algorithm.\(tld)",
            zones: [
                LabZoneSpec("unsupported-algorithm.\(tld)", records: ["@ MX 10 mx.unsupported-algorithm-mx.\(tld)"]),
                LabZoneSpec("unsupported-algorithm-mx.\(tld)", delegation: .unsupportedAlgorithm, records: ["mx A \(v4(37))"],
                            tlsa: [ee311("_25._tcp.mx", .leaf("real"))]),
            ],
            certificates: [LabCertificateSpec("real", dnsNames: ["mx.unsupported-algorithm-mx.\(tld)"]),
                           LabCertificateSpec("other", dnsNames: ["mx.unsupported-algorithm-mx.\(tld)"])],
            hosts: [LabMailHost("mx.unsupported-algorithm-mx.\(tld)", addresses: [v4(37)], certificate: "other")],
            expected: .both(.untrusted)),
    ]

    // MARK: name server faults

    static let faults: [LabScenario] = [
        simple("tlsa-notimp", 38, story: "the name server answers NOTIMP for TLSA: lookup failed, host skipped (§2.2.3)",
               tlsa: [ee311()], faults: [.init(name: "_25._tcp.mx.tlsa-notimp.\(tld)", type: .tlsa, .rcode(.notImp))],
               expected: .both(.dnsFailed)),
        simple("tlsa-timeout", 39, story: "the name server never answers TLSA queries: lookup failed, host skipped (§2.2.3)",
               tlsa: [ee311()], faults: [.init(name: "_25._tcp.mx.tlsa-timeout.\(tld)", type: .tlsa, .drop)],
               expected: .both(.dnsFailed)),
    ]
}
