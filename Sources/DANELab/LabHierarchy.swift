import DANE
import DNSCore
import DNSSEC
import DNSServer
import DNSZoneFile
import Foundation

/// The lab minted from a catalogue at one reference time: certificates, and a signed root →
/// `lab.` → scenario zones hierarchy, each zone assigned to one of the lab name servers.
public struct LabHierarchy: Sendable {
    public struct BuildError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Glue address of the root server and of the `lab.` server.
    public static let rootServer = "127.0.0.10"
    public static let tldServer = "127.0.0.11"
    /// Every name server address, in a fixed order.
    public static let serverAddresses = [rootServer, tldServer, LabZoneSpec.Server.primary.rawValue, LabZoneSpec.Server.secondary.rawValue]

    public let now: Date
    public let pki: LabPKI
    /// Minted leaves by `"<scenario id>/<certificate name>"`.
    public let certificates: [String: LabPKI.Issued]
    /// Zones by the glue address of the server that serves them.
    public let zonesByServer: [String: [Zone]]
    /// The root's DS records: the lab's trust anchor.
    public let rootDS: [ResourceRecord]

    public var trustAnchors: TrustAnchorSet { TrustAnchorSet(records: rootDS) }

    public static func certificateKey(_ scenario: LabScenario, _ name: String) -> String { "\(scenario.id)/\(name)" }

    /// The chain a host sends after STARTTLS, leaf first (nil: no STARTTLS).
    public func chain(for host: LabMailHost, in scenario: LabScenario) -> (leaf: LabPKI.Issued, chain: [[UInt8]])? {
        guard let name = host.certificate, let leaf = certificates[Self.certificateKey(scenario, name)] else { return nil }
        let spec = scenario.certificates.first { $0.name == name }
        let sendsCA = spec?.issuer == .labCA && host.sendsCA
        return (leaf, sendsCA ? [leaf.der, pki.ca.der] : [leaf.der])
    }

    /// Mints and signs everything for `scenarios` at `now`.
    public init(scenarios: [LabScenario], now: Date, seed: UInt64 = 2015) throws {
        self.now = now
        let pki = try LabPKI(now: now, seed: seed)
        self.pki = pki
        var certificates: [String: LabPKI.Issued] = [:]
        for scenario in scenarios {
            for spec in scenario.certificates {
                let key = Self.certificateKey(scenario, spec.name)
                certificates[key] = try pki.mint(spec, label: key)
            }
        }
        self.certificates = certificates

        var specs: [LabZoneSpec] = [
            LabZoneSpec(".", parent: "", records: []),
            LabZoneSpec(LabCatalogue.tld, parent: ".", records: []),
        ]
        var owner: [String: LabScenario] = [:]
        for scenario in scenarios {
            for zone in scenario.zones {
                guard owner[zone.origin] == nil else { throw BuildError("zone \(zone.origin) appears twice") }
                owner[zone.origin] = scenario
                specs.append(zone)
            }
        }
        // Deepest first, so that every child's DS is known when its parent is signed.
        let order = specs.sorted { ($0.origin.split(separator: ".").count, $0.origin) > ($1.origin.split(separator: ".").count, $1.origin) }
        let signer = LabZoneBuilder(now: now, seed: seed)
        var delegations: [String: [String]] = [:]
        var zonesByServer: [String: [Zone]] = [:]
        var rootDS: [ResourceRecord] = []
        for spec in order {
            let server = Self.server(of: spec)
            var lines = delegations[spec.origin] ?? []
            if let scenario = owner[spec.origin] {
                for tlsa in spec.tlsa { lines.append(try Self.line(tlsa, scenario: scenario, certificates: certificates, pki: pki)) }
            }
            let built = try signer.build(spec, server: server, extraLines: lines)
            zonesByServer[server, default: []].append(built.zone)
            if spec.origin == "." {
                rootDS = built.ds
            } else {
                let label = try Self.relative(spec.origin, to: spec.parent)
                var parentLines = ["\(label) NS ns.\(label)", "ns.\(label) A \(server)"]
                parentLines += built.ds.map { "\(label) DS \($0.rdata.presentation)" }
                delegations[spec.parent, default: []] += parentLines
            }
        }
        self.zonesByServer = zonesByServer
        self.rootDS = rootDS
    }

    static func server(of spec: LabZoneSpec) -> String {
        switch spec.origin {
        case ".": rootServer
        case LabCatalogue.tld: tldServer
        default: spec.server.rawValue
        }
    }

    /// `origin` relative to `parent` (`a.b.lab.` to `lab.` → `a.b`).
    static func relative(_ origin: String, to parent: String) throws -> String {
        let suffix = parent == "." ? "" : "." + parent
        guard origin.hasSuffix(suffix.isEmpty ? "." : suffix), origin != parent else { throw BuildError("\(origin) is not below \(parent)") }
        return String(origin.dropLast(suffix.isEmpty ? 1 : suffix.count))
    }

    /// A TLSA spec as a zone-file line, its data computed from the minted certificates.
    static func line(_ spec: LabTLSASpec, scenario: LabScenario, certificates: [String: LabPKI.Issued], pki: LabPKI) throws -> String {
        let data = try associationData(spec.subject, spec: spec, scenario: scenario, certificates: certificates, pki: pki)
        return "\(spec.owner) TLSA \(spec.usage) \(spec.selector) \(spec.matchingType) \(Base16.encode(data))"
    }

    static func associationData(_ subject: LabTLSASpec.Subject, spec: LabTLSASpec, scenario: LabScenario,
                                certificates: [String: LabPKI.Issued], pki: LabPKI) throws -> [UInt8] {
        let der: [UInt8]
        switch subject {
        case .corrupted(let inner):
            var data = try associationData(inner, spec: spec, scenario: scenario, certificates: certificates, pki: pki)
            if !data.isEmpty { data[data.count - 1] ^= 0x01 }
            return data
        case .labCA:
            der = pki.ca.der
        case .leaf(let name):
            guard let issued = certificates[certificateKey(scenario, name)] else {
                throw BuildError("\(scenario.id): TLSA \(spec.owner) names certificate \(name), which the scenario does not have")
            }
            der = issued.der
        }
        let record = try TLSAMatcher.record(for: der, usage: TLSA.CertificateUsage(rawValue: spec.usage),
                                            selector: TLSA.Selector(rawValue: spec.selector),
                                            matchingType: TLSA.MatchingType(rawValue: spec.matchingType))
        guard let record else { throw BuildError("\(scenario.id): TLSA \(spec.selector) \(spec.matchingType) cannot be computed") }
        return record.associationData
    }
}
