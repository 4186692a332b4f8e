import DANE
import DNSCore
import DNSServer

/// Synthetic mail domains for tests and benchmarks of bulk runs (issue 8): N domains under the
/// lab TLD in a configurable mix of the shapes the catalogue knows — signed or not, with TLSA
/// or not, and broken in its ways — each a `LabScenario` that `LabHierarchy` and `LabNetwork`
/// serve like the catalogue's, with its expected verdict and the facts a report should count.
///
/// Domain `i` is `<prefix>-<i>.lab.`; the mail hosts get addresses 127.2.x.y (clear of the
/// catalogue's 127.0.1.n), one per host, in generation order.
public struct LabGenerator: Sendable {
    /// One shape of generated domain. Every expectation follows from RFC 7672 (the section in
    /// each case's comment), not from what the code outputs.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// Signed domain and host, DANE-EE 3 1 1 of the served leaf (§3.1.1): verified.
        case verified
        /// As `verified` with a second 3 1 1 for the next key published beside it
        /// (RFC 7671 §8.1 "current + next"): verified, rollover-ready.
        case verifiedRollover = "verified-rollover"
        /// DANE-TA 2 1 1 of the lab CA, a CA-issued leaf naming the host, the CA sent (§3.1.2): verified.
        case daneTA = "dane-ta"
        /// Signed, no TLSA (proven by NSEC): opportunistic TLS, untrusted (§2.2.3).
        case signedNoTLSA = "signed-no-tlsa"
        /// Unsigned zone, STARTTLS offered: untrusted.
        case unsigned
        /// Unsigned zone, no STARTTLS: plaintext.
        case plaintext
        /// Secure 3 0 1 whose data matches nothing: dane-failed (§3.1, not delivered).
        case daneFailed = "dane-failed"
        /// Secure 3 1 2, the server offers no STARTTLS: tls-required-failed (§2.2).
        case noSTARTTLS = "no-starttls"
        /// The name server answers NOTIMP for the TLSA query: lookup failed, dns-failed (§2.2.3).
        case dnsFailed = "dns-failed"
        /// Two MX hosts, only the preferred one with a matching TLSA: verified, partial DANE.
        case partialDANE = "partial-dane"
        /// Null MX (RFC 7505): no-mail.
        case nullMX = "null-mx"

        public var expected: DANEVerdict {
            switch self {
            case .verified, .verifiedRollover, .daneTA, .partialDANE: .verified
            case .signedNoTLSA, .unsigned: .untrusted
            case .plaintext: .plaintext
            case .daneFailed: .daneFailed
            case .noSTARTTLS: .tlsRequiredFailed
            case .dnsFailed: .dnsFailed
            case .nullMX: .noMail
            }
        }

        /// The MX RRset and the hosts' zones are signed with a secure delegation.
        public var signed: Bool {
            switch self {
            case .unsigned, .plaintext: false
            case .verified, .verifiedRollover, .daneTA, .signedNoTLSA, .daneFailed, .noSTARTTLS, .dnsFailed, .partialDANE, .nullMX: true
            }
        }

        /// Mail hosts the MX RRset names.
        public var hostCount: Int {
            switch self {
            case .nullMX: 0
            case .partialDANE: 2
            case .verified, .verifiedRollover, .daneTA, .signedNoTLSA, .unsigned, .plaintext, .daneFailed, .noSTARTTLS, .dnsFailed: 1
            }
        }

        /// The TLSA records a sender receives, by `usage selector matching-type`, over all hosts.
        public var tlsaParameters: [String] {
            switch self {
            case .verified, .partialDANE: ["3 1 1"]
            case .verifiedRollover: ["3 1 1", "3 1 1"]
            case .daneTA: ["2 1 1"]
            case .daneFailed: ["3 0 1"]
            case .noSTARTTLS: ["3 1 2"]
            case .signedNoTLSA, .unsigned, .plaintext, .dnsFailed, .nullMX: []
            }
        }

        /// Secure TLSA usable for SMTP at some host (§3.1.3: DANE-TA and DANE-EE).
        public var usableTLSA: Bool { !tlsaParameters.isEmpty }
        /// A connection's certificate matches a TLSA record.
        public var matches: Bool { expected == .verified }
        /// Some host's server offers STARTTLS and the sender connects to it.
        public var offersSTARTTLS: Bool {
            switch self {
            case .verified, .verifiedRollover, .daneTA, .signedNoTLSA, .unsigned, .daneFailed, .partialDANE: true
            // dns-failed: the host is skipped before any connection (§2.2.3).
            case .plaintext, .noSTARTTLS, .dnsFailed, .nullMX: false
            }
        }
        /// Every host with usable TLSA has two records or a DANE-TA record.
        public var rolloverReady: Bool { self == .verifiedRollover || self == .daneTA }
    }

    /// How many domains of each kind per round: `[.verified: 3, .plaintext: 1]` makes three
    /// verified domains for every plaintext one.
    public struct Mix: Sendable, Hashable {
        public var weights: [Kind: Int]

        public init(_ weights: [Kind: Int]) { self.weights = weights }

        /// One of every kind.
        public static let everyKind = Mix(Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, 1) }))
    }

    /// One generated domain: the scenario to serve and what it is.
    public struct Domain: Sendable, Hashable {
        public var scenario: LabScenario
        public var kind: Kind
    }

    public var mix: Mix
    public var prefix: String

    public init(mix: Mix = .everyKind, prefix: String = "gen") {
        self.mix = mix
        self.prefix = prefix
    }

    /// `count` domains: the kinds in `Kind.allCases` order, each repeated by its weight, round
    /// after round, so any prefix of the list holds the mix as nearly as it can.
    public func generate(_ count: Int) -> [Domain] {
        let round = Kind.allCases.flatMap { kind in Array(repeating: kind, count: max(0, mix.weights[kind] ?? 0)) }
        guard !round.isEmpty else { return [] }
        var domains: [Domain] = []
        domains.reserveCapacity(max(0, count))
        var nextHost = 0
        for index in 0..<max(0, count) {
            let kind = round[index % round.count]
            domains.append(Domain(scenario: scenario(kind, index: index, firstHost: nextHost), kind: kind))
            nextHost += kind.hostCount
        }
        return domains
    }

    /// The address of generated host `n` (127.2.0.1, …, 127.2.0.250, 127.2.1.1, …).
    static func address(_ n: Int) -> String { "127.2.\(n / 250 % 256).\(n % 250 + 1)" }

    func scenario(_ kind: Kind, index: Int, firstHost: Int) -> LabScenario {
        let id = "\(prefix)-\(index)"
        let domain = "\(id).\(LabCatalogue.tld)"
        let signing: LabZoneSpec.Signing = kind.signed ? .standard : .unsigned
        let a1 = Self.address(firstHost)
        let mx = "mx.\(domain)"
        let story = "generated \(kind.rawValue) domain"
        let leaf = [LabCertificateSpec("mx", dnsNames: [mx])]
        func one(tlsa: [LabTLSASpec] = [], certificates: [LabCertificateSpec] = leaf, serves: String? = "mx",
                 faults: [LabScenario.ServerFault] = []) -> LabScenario {
            LabScenario(id: id, story: story, domain: domain,
                        zones: [LabZoneSpec(domain, signing: signing, records: ["@ MX 10 mx", "mx A \(a1)"], tlsa: tlsa)],
                        certificates: certificates, hosts: [LabMailHost(mx, addresses: [a1], certificate: serves)],
                        faults: faults, expected: .both(kind.expected))
        }
        switch kind {
        case .verified:
            return one(tlsa: [LabTLSASpec("_25._tcp.mx", 3, 1, 1, of: .leaf("mx"))])
        case .verifiedRollover:
            return one(tlsa: [LabTLSASpec("_25._tcp.mx", 3, 1, 1, of: .leaf("mx")), LabTLSASpec("_25._tcp.mx", 3, 1, 1, of: .leaf("next"))],
                       certificates: leaf + [LabCertificateSpec("next", dnsNames: [mx])])
        case .daneTA:
            return one(tlsa: [LabTLSASpec("_25._tcp.mx", 2, 1, 1, of: .labCA)],
                       certificates: [LabCertificateSpec("mx", dnsNames: [mx], issuer: .labCA)])
        case .signedNoTLSA, .unsigned:
            return one()
        case .plaintext:
            return one(certificates: [], serves: nil)
        case .daneFailed:
            return one(tlsa: [LabTLSASpec("_25._tcp.mx", 3, 0, 1, of: .corrupted(.leaf("mx")))])
        case .noSTARTTLS:
            return one(tlsa: [LabTLSASpec("_25._tcp.mx", 3, 1, 2, of: .leaf("mx"))], serves: nil)
        case .dnsFailed:
            return one(tlsa: [LabTLSASpec("_25._tcp.mx", 3, 1, 1, of: .leaf("mx"))],
                       faults: [.init(name: "_25._tcp.\(mx)", type: .tlsa, .rcode(.notImp))])
        case .partialDANE:
            let a2 = Self.address(firstHost + 1)
            let mx2 = "mx2.\(domain)"
            return LabScenario(
                id: id, story: story, domain: domain,
                zones: [LabZoneSpec(domain, signing: signing, records: ["@ MX 10 mx", "@ MX 20 mx2", "mx A \(a1)", "mx2 A \(a2)"],
                                    tlsa: [LabTLSASpec("_25._tcp.mx", 3, 1, 1, of: .leaf("mx"))])],
                certificates: leaf + [LabCertificateSpec("mx2", dnsNames: [mx2])],
                hosts: [LabMailHost(mx, addresses: [a1], certificate: "mx"), LabMailHost(mx2, addresses: [a2], certificate: "mx2")],
                expected: .both(kind.expected))
        case .nullMX:
            return LabScenario(id: id, story: story, domain: domain, zones: [LabZoneSpec(domain, signing: signing, records: ["@ MX 0 ."])],
                               hosts: [], expected: .both(kind.expected))
        }
    }
}
