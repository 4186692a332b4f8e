import ArgumentParser
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation

/// How a command that resolves names finds and trusts answers: iterative from root hints or a
/// stub behind a recursive resolver, the trust anchors, per-server timeout, the time
/// signatures are judged at, and the lab's address seam.
struct ResolverOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Resolve iteratively from these root hints (zone-file form).", valueName: "FILE"))
    var rootHints: String?

    @Option(help: ArgumentHelp("Use this recursive resolver as upstream; validate locally (default: the first nameserver of /etc/resolv.conf).", valueName: "ADDR[:PORT]"))
    var resolver: String?

    @Option(help: ArgumentHelp("Trust anchors: DS or DNSKEY records in zone-file form (default: the IANA root keys).", valueName: "FILE"))
    var trustAnchor: String?

    @Flag(help: "Send queries to loopback, private and reserved addresses (allowed anyway when the root hints are on loopback).")
    var allowPrivateTargets = false

    @Option(help: ArgumentHelp("Judge signatures and certificates as of this time: \(TimeArgument.help).", valueName: "TIME"))
    var at: String?

    @Option(help: ArgumentHelp("Send traffic for FROM to TO instead (a lab whose servers listen on other ports), e.g. 127.0.0.10:53=127.0.0.1:40053; FROM * for every other address. Repeatable.",
                               valueName: "FROM=TO[,...]"))
    var addressMap: [String] = []

    func validate() throws {
        if rootHints != nil, resolver != nil { throw ValidationError("give --root-hints or --resolver, not both") }
        if let at, TimeArgument.parse(at, now: TimeArgument.now) == nil { throw ValidationError("--at: expected \(TimeArgument.help)") }
        _ = try addressMapping()
    }

    /// The moment of `--at`, or now.
    var moment: Int64 { at.flatMap { TimeArgument.parse($0, now: TimeArgument.now) } ?? TimeArgument.now }

    /// `--address-map` values merged (`DNSAddressMap(parsing:)`: `FROM=TO[,…]`, port 53 where
    /// left out, FROM `*` for every other address).
    func addressMapping() throws -> DNSAddressMap {
        var map = DNSAddressMap.identity
        for text in addressMap {
            do { map = map.merging(try DNSAddressMap(parsing: text)) } catch { throw ValidationError("--address-map \(text): \(error)") }
        }
        return map
    }

    /// `cacheCapacity`: answers the resolver keeps (`ResolverConfiguration.cacheCapacity`);
    /// `sockets`: UDP sockets its queries are spread over (`NIODNSExchange`'s pool). In stub
    /// mode the pool is bound for the upstream at once, while the rest is set up.
    func makeResolver(timeout: Double, cacheCapacity: Int = 100_000, sockets: Int = 32) throws -> Resolver {
        let exchange = NIODNSExchange(addressMap: try addressMapping(), socketPoolSize: sockets)
        let mode: ResolverConfiguration.Mode
        if let rootHints {
            mode = .iterative(try RootHints(zoneFileText: try ResolverFiles.read(rootHints)))
        } else {
            let upstream = try DNSServerAddress(parsing: try resolver ?? Self.systemResolver())
            exchange.warm(for: upstream)
            mode = .stub(upstream)
        }
        let anchors = try trustAnchor.map { path throws(ResolutionError) in try ResolverFiles.trustAnchors(zoneFileText: try ResolverFiles.read(path)) } ?? .ianaRoot
        let options = DNSExchangeOptions(attemptTimeout: .milliseconds(Int(timeout * 1000)), retries: 1)
        let configuration = ResolverConfiguration(mode: mode, trustAnchors: anchors, allowPrivateTargets: allowPrivateTargets, exchange: options,
                                                  cacheCapacity: cacheCapacity)
        let clock: any ResolverClock = at.flatMap { TimeArgument.parse($0, now: TimeArgument.now) }.map(ManualResolverClock.init) ?? SystemResolverClock()
        return Resolver(configuration: configuration, exchange: exchange, clock: clock)
    }

    /// The first `nameserver` line of /etc/resolv.conf (resolv.conf(5)).
    static func systemResolver() throws -> String {
        let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, fields[0] == "nameserver" { return String(fields[1]) }
        }
        throw ResolutionError(.badConfiguration, "no --resolver given and no nameserver in /etc/resolv.conf")
    }
}
