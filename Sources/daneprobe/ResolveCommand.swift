import ArgumentParser
import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation

/// `daneprobe resolve`: one validating lookup (or a batch), printed with its chain of trust.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Look up NAME TYPE and validate the answer with DNSSEC, showing the chain of trust.",
        discussion: """
        Iterative from --root-hints (a zone file of the root's NS and A/AAAA records), or as a \
        stub through --resolver (default: the first nameserver in /etc/resolv.conf), asking \
        with DO and CD and validating locally. The status is secure, insecure, bogus or \
        indeterminate. Exit status: 0 for secure or insecure, 2 for bogus or indeterminate, \
        1 when the lookup could not be run (an alias loop, bad input).
        """
    )

    @Argument(help: "The name to look up.")
    var name: String?

    @Argument(help: "The record type (A, AAAA, MX, TLSA, ...).")
    var type: String = "A"

    @Option(help: ArgumentHelp("Resolve iteratively from these root hints (zone-file form).", valueName: "FILE"))
    var rootHints: String?

    @Option(help: ArgumentHelp("Use this recursive resolver as upstream; validate locally.", valueName: "ADDR[:PORT]"))
    var resolver: String?

    @Option(help: ArgumentHelp("Trust anchors: DS or DNSKEY records in zone-file form (default: the IANA root keys).", valueName: "FILE"))
    var trustAnchor: String?

    @Flag(help: "Print one JSON object per lookup.")
    var json = false

    @Option(help: "Seconds to wait for each server's answer.")
    var timeout: Double = 2

    @Flag(help: "Send queries to loopback, private and reserved addresses (allowed anyway when the root hints are on loopback).")
    var allowPrivateTargets = false

    @Option(help: ArgumentHelp("Resolve every NAME TYPE line of this file; one JSON line per query.", valueName: "FILE"))
    var batch: String?

    @Option(help: "Lookups in flight at once with --batch.")
    var concurrency = 100

    @Option(help: ArgumentHelp("Validate as of this time: \(TimeArgument.help).", valueName: "TIME"))
    var at: String?

    @Option(help: ArgumentHelp("Send queries for FROM to TO instead (a lab whose servers listen on other ports); FROM * for every other address. Repeatable.",
                               valueName: "FROM=TO[,...]"))
    var addressMap: [String] = []

    func validate() throws {
        if rootHints != nil, resolver != nil { throw ValidationError("give --root-hints or --resolver, not both") }
        if batch == nil, name == nil { throw ValidationError("give NAME TYPE, or --batch FILE") }
        if batch == nil, RRType(mnemonic: type) == nil { throw ValidationError("\"\(type)\" is not a record type") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
        if let at, TimeArgument.parse(at, now: TimeArgument.now) == nil { throw ValidationError("--at: expected \(TimeArgument.help)") }
        for text in addressMap {
            do { _ = try DNSAddressMap(parsing: text) } catch { throw ValidationError("--address-map: \(error)") }
        }
    }

    func run() async throws {
        let resolver: Resolver
        do { resolver = try makeResolver() } catch {
            printError("daneprobe resolve: \(error)")
            throw ExitCode.failure
        }
        if let batch {
            let questions: [Question]
            do { questions = try BatchFile.questions(try ResolverFiles.read(batch)) } catch {
                printError("daneprobe resolve: \(batch): \(error)")
                throw ExitCode.failure
            }
            var output = StandardOutput()
            await resolver.resolveAll(questions, concurrency: concurrency) { index, result in
                switch result {
                case .success(let answer): output.write(ResolutionReport.json(answer) + "\n")
                case .failure(let error): output.write(ResolutionReport.json(error: error, name: questions[index].name, type: questions[index].type) + "\n")
                }
            }
            output.flush()
            return
        }
        var text = name ?? "."
        if !text.hasSuffix(".") { text += "." }
        guard let domain = try? DomainName(parsing: text), let rrtype = RRType(mnemonic: type) else {
            printError("daneprobe resolve: \"\(text)\" is not a domain name")
            throw ExitCode.failure
        }
        do {
            let result = try await resolver.resolve(domain, rrtype)
            print(json ? ResolutionReport.json(result) : ResolutionReport.text(result))
            if result.status == .bogus || result.status == .indeterminate { throw ExitCode(2) }
        } catch let error as ResolutionError {
            print(json ? ResolutionReport.json(error: error, name: domain, type: rrtype) : "; \(domain) \(rrtype): \(error)")
            throw ExitCode.failure
        }
    }

    func makeResolver() throws -> Resolver {
        let anchors = try trustAnchor.map { path throws(ResolutionError) in try ResolverFiles.trustAnchors(zoneFileText: try ResolverFiles.read(path)) } ?? .ianaRoot
        let mode: ResolverConfiguration.Mode
        if let rootHints {
            mode = .iterative(try RootHints(zoneFileText: try ResolverFiles.read(rootHints)))
        } else {
            let upstream = try resolver ?? Self.systemResolver()
            mode = .stub(try DNSServerAddress(parsing: upstream))
        }
        let options = DNSExchangeOptions(attemptTimeout: .milliseconds(Int(timeout * 1000)), retries: 1)
        let configuration = ResolverConfiguration(mode: mode, trustAnchors: anchors, allowPrivateTargets: allowPrivateTargets, exchange: options)
        let clock: any ResolverClock = at.flatMap { TimeArgument.parse($0, now: TimeArgument.now) }.map(ManualResolverClock.init) ?? SystemResolverClock()
        var map = DNSAddressMap.identity
        for text in addressMap { map = map.merging(try DNSAddressMap(parsing: text)) }
        return Resolver(configuration: configuration, exchange: NIODNSExchange(addressMap: map), clock: clock)
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
