import DANE
import DNSTransport
import Foundation

/// What `daneprobe lab serve --manifest FILE` writes for an outside MTA or test harness: where
/// the lab's servers listen, its trust anchor, and every scenario's mail domain with its
/// expected verdicts. An on-disk schema of its own (`schema` 1), not the in-memory types.
public struct LabManifest: Codable, Sendable, Hashable {
    public struct Server: Codable, Sendable, Hashable {
        /// The address published in DNS (glue, or the mail host's A/AAAA), with its port.
        public var published: String
        /// Where the server really listens.
        public var listening: String
        public var scenario: String?
        public var host: String?
    }

    public struct Scenario: Codable, Sendable, Hashable {
        public var id: String
        public var story: String
        public var domain: String
        /// Expected domain verdict by `--insecure-mx-policy`.
        public var expected: [String: String]
        public var hosts: [String]
        public var resolver: String
        public var postfix2015: String?
        public var postfixToday: String?
    }

    public var schema: Int
    public var referenceTime: String
    /// Root hints in zone-file form (the root server's glue as published).
    public var rootHints: String
    /// The lab root's DS records in zone-file form: the trust anchor to configure.
    public var trustAnchor: String
    public var nameServers: [Server]
    public var mailServers: [Server]
    public var scenarios: [Scenario]

    public init(hierarchy: LabHierarchy, scenarios: [LabScenario], endpoints: LabEndpoints) {
        schema = 1
        referenceTime = ISO8601DateFormatter().string(from: hierarchy.now)
        rootHints = ". NS ns.\nns. A \(LabHierarchy.rootServer)\n"
        trustAnchor = hierarchy.rootDS.map { $0.presentation + "\n" }.joined()
        nameServers = LabHierarchy.serverAddresses.map { glue in
            let published = DNSServerAddress(host: glue)
            return Server(published: "\(published)", listening: "\(endpoints.dnsAddressMap.map(published))", scenario: nil, host: nil)
        }
        mailServers = scenarios.flatMap { scenario in
            scenario.hosts.flatMap { host in
                host.addresses.map { address in
                    let published = DNSServerAddress(host: address, port: 25)
                    return Server(published: "\(published)", listening: "\(endpoints.smtpAddressMap.map(published))",
                                  scenario: scenario.id, host: host.name)
                }
            }
        }
        self.scenarios = scenarios.map { scenario in
            Scenario(id: scenario.id, story: scenario.story, domain: scenario.domain,
                     expected: Dictionary(uniqueKeysWithValues: LabOutcome.policies.map { ($0.rawValue, scenario.expected.verdict(for: $0).rawValue) }),
                     hosts: scenario.hosts.map(\.name), resolver: scenario.resolver.rawValue,
                     postfix2015: scenario.postfix?.in2015, postfixToday: scenario.postfix?.today)
        }
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }
}
