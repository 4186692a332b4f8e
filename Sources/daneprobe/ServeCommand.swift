import ArgumentParser
import DNSCore
import DNSSEC
import DNSServer
import DNSZoneFile
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// `daneprobe serve`: the authoritative server on its own.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve zone files as an authoritative DNS server over UDP and TCP.",
        discussion: """
        Answers from the zones given (pre-signed zones are served with their DNSSEC records), \
        never recursively. Runs until SIGINT or SIGTERM; prints each bound address, one per \
        line, as `listening udp 127.0.0.1:5353`. IPv6 addresses go in brackets: [::1]:5353. \
        Port 0 picks a free port (UDP and TCP get the same one). With --sign every zone is \
        signed at load with the keys in --keys (BIND/ldns key files, as `daneprobe zone sign` \
        makes them; existing DNSSEC records are replaced), valid from an hour ago for 30 \
        days, and the DS records for its parent are printed as `ds RECORD`.
        """
    )

    @Option(name: .customLong("zone"), help: ArgumentHelp("A zone file, with its origin after a colon (else the file's $ORIGIN or SOA owner).", valueName: "FILE[:ORIGIN]"))
    var zones: [String] = []

    @Option(name: .customLong("listen"), help: ArgumentHelp("An address to listen on (UDP and TCP).", valueName: "ADDR[:PORT]"))
    var listen: [String] = ["127.0.0.1:53"]

    @Flag(help: "Sign the zones at load with the keys in --keys.")
    var sign = false

    @Option(help: ArgumentHelp("Folder of the zones' key files (with --sign).", valueName: "DIR"))
    var keys = "."

    @Flag(help: "With --sign: deny existence with NSEC3 (no salt, no extra iterations, RFC 9276) instead of NSEC.")
    var nsec3 = false

    @Option(help: "Largest UDP response and advertised EDNS payload size.")
    var maxUDPPayload: UInt16 = 1232

    @Flag(help: "Leave out the authority NS and additional addresses of positive answers.")
    var minimalResponses = false

    @Option(help: "Most TCP connections open at once.")
    var tcpConnectionLimit = 256

    @Option(help: "Most TCP connections open at once from one IPv4 address or IPv6 /64.")
    var tcpConnectionsPerClient = 64

    @Option(help: "Seconds a TCP connection may stay idle.")
    var tcpIdleTimeout = 10

    @Option(help: ArgumentHelp("UDP sockets per address (SO_REUSEPORT), spread over the event loops.", visibility: .hidden))
    var udpSockets = 1

    func validate() throws {
        guard !zones.isEmpty else { throw ValidationError("give at least one --zone FILE[:ORIGIN]") }
        if nsec3, !sign { throw ValidationError("--nsec3 needs --sign") }
        _ = try sources()
        _ = try addresses()
    }

    func sources() throws -> [ZoneSource] {
        try zones.map { argument in
            guard let colon = argument.lastIndex(of: ":") else { return ZoneSource(path: argument, sign: sign) }
            let path = String(argument[..<colon])
            var origin = String(argument[argument.index(after: colon)...])
            if !origin.hasSuffix(".") { origin += "." }
            do {
                return ZoneSource(path: path, origin: try DomainName(parsing: origin), sign: sign)
            } catch {
                throw ValidationError("--zone \(argument): \"\(origin)\" is not a domain name: \(error)")
            }
        }
    }

    func addresses() throws -> [ListenAddress] {
        try listen.map { text in
            do { return try ListenAddress(parsing: text) } catch { throw ValidationError("--listen \(error)") }
        }
    }

    func run() async throws {
        let catalog: ZoneCatalog
        let ds = DSRecords()
        do {
            catalog = try ZoneCatalog.load(try sources(), signing: sign ? signingStep(ds) : nil)
        } catch {
            printError("daneprobe serve: \(error)")
            throw ExitCode(1)
        }
        let logger = Logger(label: "daneprobe.serve", factory: { label in StreamLogHandler.standardError(label: label) })
        let answerer = AuthoritativeAnswerer(
            catalog: catalog,
            configuration: .init(maxUDPPayloadSize: maxUDPPayload, minimalResponses: minimalResponses)
        )
        let server = DNSServerService(
            responder: AuthoritativeResponder(answerer: answerer),
            configuration: .init(listen: try addresses(), tcpConnectionLimit: tcpConnectionLimit,
                                 tcpConnectionsPerClient: tcpConnectionsPerClient, tcpIdleTimeout: .seconds(tcpIdleTimeout), udpSocketsPerAddress: udpSockets),
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        var out = StandardOutput()
        for zone in catalog.zones.values.sorted(by: { $0.origin < $1.origin }) {
            out.write("zone \(zone.origin) \(zone.recordCount) records\(zone.isSigned ? ", signed" : "")\n")
        }
        for record in ds.records { out.write("ds \(record.presentation)\n") }
        out.flush()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                guard let listeners = try? await server.boundListeners() else { return }
                var out = StandardOutput()
                for listener in listeners { out.write("listening \(listener)\n") }
                out.flush()
            }
            try await tasks.waitForAll()
        }
    }

    /// The catalog's signing step: `DNSSEC`'s `ZoneSigner` with the zone's keys from --keys.
    func signingStep(_ ds: DSRecords) -> ClosureSigningStep {
        let directory = KeyDirectory(path: keys)
        let denial: ZoneSigningOptions.Denial = nsec3 ? .nsec3(.init()) : .nsec
        return ClosureSigningStep { records, origin in
            let pairs = try directory.load(zone: origin)
            guard !pairs.isEmpty else {
                throw ServeSigningError(reason: "no key files for \(origin) in \(directory.path) (make them with `daneprobe zone sign --keys \(directory.path)`)")
            }
            let now = Int64(Date().timeIntervalSince1970)
            var options = ZoneSigningOptions(denial: denial, inception: SignatureTime.serial(now - 3600),
                                             expiration: SignatureTime.serial(now + 30 * 86_400))
            options.dnskeyTTL = pairs.compactMap(\.ttl).min()
            let signed = try ZoneSigner(apex: origin, keys: pairs.map(\.key), options: options).sign(records)
            ds.append(signed.ds)
            return signed.records
        }
    }
}

struct ServeSigningError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// The DS records the signing step makes, collected for printing.
final class DSRecords: Sendable {
    private let collected = Mutex<[ResourceRecord]>([])

    func append(_ records: [ResourceRecord]) { collected.withLock { $0 += records } }
    var records: [ResourceRecord] { collected.withLock { $0 } }
}
