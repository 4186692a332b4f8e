import DNSCore
import DNSResolver
import DNSServer
import DNSSEC
import DNSTransport
import Foundation
import Logging
import NIOCore
import NIOSSL
import SMTPCore
import SMTPTransport
import ServiceLifecycle
import UnixSignals

/// The running lab: where its name servers and mail servers really listen, and the address
/// maps that send the published addresses (glue 127.0.0.1x:53, mail hosts 127.0.1.x:25 and
/// fd00::x:25) there.
public struct LabEndpoints: Sendable {
    /// Glue address:53 → the name server's bound loopback address.
    public var dnsAddressMap: DNSAddressMap
    /// Published mail host address:25 → the SMTP server's bound loopback address.
    public var smtpAddressMap: DNSAddressMap
    public var rootHints: RootHints
    public var trustAnchors: TrustAnchorSet
    /// The mail servers by `"<scenario id>/<host name>"`, with the messages each received.
    public var smtpServers: [String: SMTPServerService]

    /// A validating resolver over the lab, judging signatures at `now` (a manual clock: the
    /// lab's signatures are valid at its reference time, whatever the system clock says).
    public func resolver(now: Date, attemptTimeout: Duration = .milliseconds(800), retries: Int = 1) -> Resolver {
        let configuration = ResolverConfiguration(mode: .iterative(rootHints), trustAnchors: trustAnchors,
                                                  exchange: DNSExchangeOptions(attemptTimeout: attemptTimeout, retries: retries))
        return Resolver(configuration: configuration, exchange: NIODNSExchange(addressMap: dnsAddressMap),
                        clock: ManualResolverClock(Int64(now.timeIntervalSince1970)), randomness: SeededQueryRandomness(seed: 2015))
    }
}

/// Starts the lab's servers — one `DNSServerService` per lab name server and one
/// `SMTPServerService` per mail host, every one on loopback port 0 — as one `ServiceGroup`,
/// awaits each one's bound addresses (readiness, no sleeps), runs `body`, and shuts the group
/// down gracefully.
public enum LabNetwork {
    public struct StartError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Where the servers listen.
    public enum Binding: Sendable, Hashable {
        /// 127.0.0.1 and ::1, port 0; the address maps send published addresses there (tests,
        /// `daneprobe lab`, no privileges needed).
        case loopbackPort0
        /// Each name server on its glue address port 53 and each mail host on its published
        /// IPv4 address port 25 (Linux routes all of 127.0.0.0/8 to loopback; needs the right
        /// to bind low ports). IPv6 hosts stay on ::1 port 0: fd00:: is not on loopback.
        case publishedAddresses
    }

    public static func run<Result: Sendable>(_ hierarchy: LabHierarchy, scenarios: [LabScenario], binding: Binding = .loopbackPort0,
                                             untilShutdownSignal signals: [UnixSignal] = [], logger: Logger = quietLogger,
                                             _ body: @Sendable (LabEndpoints) async throws -> Result) async throws -> Result {
        let faults = faultPlan(scenarios)
        var dnsServices: [(address: String, service: DNSServerService)] = []
        for address in LabHierarchy.serverAddresses {
            let catalog = try ZoneCatalog(zones: hierarchy.zonesByServer[address] ?? [], faults: faults)
            let listen = binding == .publishedAddresses ? ListenAddress(host: address, port: 53) : ListenAddress(host: "127.0.0.1", port: 0)
            let service = DNSServerService(responder: AuthoritativeResponder(answerer: AuthoritativeAnswerer(catalog: catalog)),
                                           configuration: .init(listen: [listen]), logger: logger)
            dnsServices.append((address, service))
        }
        var smtpServices: [(key: String, host: LabMailHost, service: SMTPServerService)] = []
        for scenario in scenarios {
            for host in scenario.hosts {
                let service = try smtpService(host, in: scenario, hierarchy: hierarchy, binding: binding, logger: logger)
                smtpServices.append(("\(scenario.id)/\(host.name)", host, service))
            }
        }
        let services: [any Service] = dnsServices.map(\.service) + smtpServices.map(\.service)
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: signals,
                                                      logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result
            do {
                var dnsMap: [DNSServerAddress: DNSServerAddress] = [:]
                for (address, service) in dnsServices {
                    let listeners = try await service.boundListeners()
                    guard let udp = listeners.first(where: { $0.transport == .udp }) else {
                        throw StartError("name server \(address) bound no UDP listener")
                    }
                    dnsMap[DNSServerAddress(host: address)] = DNSServerAddress(udp.address)
                }
                var smtpMap: [DNSServerAddress: DNSServerAddress] = [:]
                for (key, host, service) in smtpServices {
                    let bound = try await service.boundAddresses
                    for published in host.addresses {
                        let isV6 = published.contains(":")
                        let target = bound.first { $0.ipAddress == published && $0.port == 25 }
                            ?? bound.first { ($0.protocol == .inet6) == isV6 && $0.ipAddress != nil && ($0.ipAddress == "::1" || $0.ipAddress == "127.0.0.1") }
                        guard let target else { throw StartError("\(key): no listener for \(published)") }
                        let spelled = isV6 ? (IPv6Address(text: published).map { "\($0)" } ?? published) : published
                        smtpMap[DNSServerAddress(host: spelled, port: 25)] = DNSServerAddress(target)
                    }
                }
                let hints = try RootHints(zoneFileText: ". NS ns.\nns. A \(LabHierarchy.rootServer)")
                let endpoints = LabEndpoints(dnsAddressMap: DNSAddressMap(dnsMap), smtpAddressMap: DNSAddressMap(smtpMap),
                                             rootHints: hints, trustAnchors: hierarchy.trustAnchors,
                                             smtpServers: Dictionary(smtpServices.map { ($0.key, $0.service) }, uniquingKeysWith: { a, _ in a }))
                result = try await body(endpoints)
                if !signals.isEmpty {
                    // Serving: the group runs until one of the signals shuts it down.
                    try await tasks.waitForAll()
                    return result
                }
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }

    /// Every scenario's name server faults, on every lab name server (they are keyed by name).
    static func faultPlan(_ scenarios: [LabScenario]) -> FaultPlan {
        var plan = FaultPlan()
        for scenario in scenarios {
            for fault in scenario.faults {
                guard let name = try? DomainName(parsing: fault.name) else { continue }
                plan.add([fault.fault], for: .query(name: name, type: fault.type))
            }
        }
        return plan
    }

    static func smtpService(_ host: LabMailHost, in scenario: LabScenario, hierarchy: LabHierarchy, binding: Binding,
                            logger: Logger) throws -> SMTPServerService {
        var tls: TLSConfiguration?
        if let (leaf, chain) = hierarchy.chain(for: host, in: scenario) {
            let certificates = try chain.map { NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0, format: .der)) }
            let key = try NIOSSLPrivateKey(bytes: Array(leaf.key.pemRepresentation.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: certificates, privateKey: .privateKey(key))
            configuration.certificateVerification = .none
            tls = configuration
        } else if host.certificate != nil {
            throw StartError("\(scenario.id): host \(host.name) serves certificate \(host.certificate ?? ""), which was not minted")
        }
        var addresses: [SocketAddress] = []
        if binding == .publishedAddresses {
            for address in host.addresses where !address.contains(":") { addresses.append(try SocketAddress(ipAddress: address, port: 25)) }
        } else if host.addresses.contains(where: { !$0.contains(":") }) {
            addresses.append(try SocketAddress(ipAddress: "127.0.0.1", port: 0))
        }
        if host.addresses.contains(where: { $0.contains(":") }) { addresses.append(try SocketAddress(ipAddress: "::1", port: 0)) }
        let name = LabPKI.hostName(host.name)
        let configuration = SMTPServerService.Configuration(
            addresses: addresses, session: SMTPServerStateMachine.Configuration(hostname: name, startTLSAvailable: tls != nil),
            tlsConfiguration: tls, idleTimeout: .seconds(30))
        return SMTPServerService(configuration: configuration, logger: logger)
    }

    /// Servers log only what is critical: the lab's broken scenarios make TLS and DNS
    /// errors on purpose.
    public static let quietLogger: Logger = {
        var logger = Logger(label: "daneprobe.lab")
        logger.logLevel = .critical
        return logger
    }()
}
