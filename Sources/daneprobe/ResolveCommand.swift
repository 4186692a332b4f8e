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

    @OptionGroup var resolution: ResolverOptions

    @Flag(help: "Print one JSON object per lookup.")
    var json = false

    @Option(help: "Seconds to wait for each server's answer.")
    var timeout: Double = 2

    @Option(help: ArgumentHelp("Resolve every NAME TYPE line of this file; one JSON line per query.", valueName: "FILE"))
    var batch: String?

    @Option(help: "Lookups in flight at once with --batch.")
    var concurrency = 100

    func validate() throws {
        if batch == nil, name == nil { throw ValidationError("give NAME TYPE, or --batch FILE") }
        if batch == nil, RRType(mnemonic: type) == nil { throw ValidationError("\"\(type)\" is not a record type") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
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
        try resolution.makeResolver(timeout: timeout)
    }
}
