import ArgumentParser
import DANE
import DNSCore
import Foundation
import MailProbe

struct TLSACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlsa",
        abstract: "Print TLSA records for a PEM file or a live server; check the published ones.",
        discussion: """
        With no --usage, prints `3 1 1` (DANE-EE, SPKI, SHA-256) for the first certificate (the \
        server's) and `2 1 1` (DANE-TA) for every CA certificate after it — what RFC 7671 §8 \
        and RFC 7672 §3.1 recommend publishing. Publish the next key's record beside the \
        current one before a renewal (RFC 7671 §8.1, "current + next").

        --connect HOST fetches the chains HOST's SMTP server presents over STARTTLS (also \
        the RSA and the ECDSA one of a dual-certificate server) and prints the same records. \
        --check HOST looks up the validated TLSA RRset of _PORT._tcp.HOST, says which record \
        matches which certificate, and warns when a renewal would break DANE; exit 1 when \
        something is wrong now.
        """
    )

    @Option(help: ArgumentHelp("The certificate chain, PEM, server certificate first.", valueName: "FILE"))
    var cert: String?

    @Option(help: ArgumentHelp("Fetch the chains this mail host presents over STARTTLS and print their records.", valueName: "HOST"))
    var connect: String?

    @Option(help: ArgumentHelp("Check the TLSA records published for this mail host against what it presents.", valueName: "HOST"))
    var check: String?

    @OptionGroup var resolution: ResolverOptions

    @Option(help: "Seconds to wait for each DNS answer, connection and SMTP reply (--connect, --check).")
    var timeout: Double = 10

    @Option(help: "Certificate usage: 2 (DANE-TA) or 3 (DANE-EE). Default: 3 for the first certificate, 2 for the others.")
    var usage: UInt8?

    @Option(help: "Selector: 0 (whole certificate) or 1 (SubjectPublicKeyInfo).")
    var selector: UInt8 = 1

    @Option(help: "Matching type: 0 (full), 1 (SHA-256) or 2 (SHA-512).")
    var matching: UInt8 = 1

    @Option(help: ArgumentHelp("The MX host: print full records owned by _PORT._tcp.HOST.", valueName: "HOST"))
    var name: String?

    @Option(help: "The SMTP port for the owner name.")
    var port: UInt16 = 25

    func validate() throws {
        guard [cert, connect, check].compactMap({ $0 }).count == 1 else { throw ValidationError("give one of --cert FILE, --connect HOST, --check HOST") }
        for host in [connect, check].compactMap({ $0 }) where (try? Self.hostName(host)) == nil {
            throw ValidationError("\"\(host)\" is not a host name")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    static func hostName(_ text: String) throws -> DomainName {
        try DomainName(parsing: text.hasSuffix(".") ? text : text + ".")
    }

    func run() async throws {
        if let connect { return try await runConnect(Self.hostName(connect)) }
        if let check { return try await runCheck(Self.hostName(check)) }
        guard let cert else { return }
        guard let data = FileManager.default.contents(atPath: cert) else { throw ValidationError("cannot read \(cert)") }
        let chain: [[UInt8]]
        do {
            chain = try PEMCertificates.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw ValidationError("\(cert): \(error)")
        }
        guard !chain.isEmpty else { throw ValidationError("\(cert) holds no certificate") }
        var owner = ""
        if let name {
            let host = try DomainName(parsing: name.hasSuffix(".") ? name : name + ".")
            owner = "_\(port)._tcp.\(host)\tIN\tTLSA\t"
        }
        try printRecords(chain, owner: owner, source: cert)
    }

    func printRecords(_ chain: [[UInt8]], owner: String, source: String) throws {
        for (depth, der) in chain.enumerated() {
            let recordUsage = TLSA.CertificateUsage(rawValue: usage ?? (depth == 0 ? 3 : 2))
            let record: TLSA?
            do {
                record = try TLSAMatcher.record(for: der, usage: recordUsage, selector: TLSA.Selector(rawValue: selector),
                                                matchingType: TLSA.MatchingType(rawValue: matching))
            } catch {
                throw ValidationError("\(source): certificate \(depth + 1): \(error)")
            }
            guard let record else { throw ValidationError("selector \(selector) / matching type \(matching) are not known") }
            print("\(owner)\(record.presentation)\t; depth \(depth)")
        }
    }

    func makeProbe() throws -> MailProbe {
        var options = MailProbeOptions()
        options.port = Int(port)
        options.timeout = .milliseconds(Int(timeout * 1000))
        options.addressMap = try resolution.addressMapping()
        if resolution.at != nil { options.now = Date(timeIntervalSince1970: TimeInterval(resolution.moment)) }
        return MailProbe(resolver: try resolution.makeResolver(timeout: min(timeout, 5)), options: options)
    }

    /// `--connect HOST`: the records for every chain the server presents.
    func runConnect(_ host: DomainName) async throws {
        let probe: MailProbe
        do { probe = try makeProbe() } catch {
            printError("daneprobe tlsa: \(error)")
            throw ExitCode.failure
        }
        let fetched: ServerCertificates
        do { fetched = try await probe.fetchCertificates(host: host) } catch {
            printError("daneprobe tlsa --connect: \(error)")
            throw ExitCode.failure
        }
        let owner = "_\(port)._tcp.\(host)\tIN\tTLSA\t"
        for (index, presented) in fetched.presented.enumerated() {
            print("; \(host) \(fetched.address): \(presented.keyAlgorithm.rawValue) certificate" + (index == 0 ? " (the default handshake)" : ""))
            try printRecords(presented.chain, owner: owner, source: "\(host)")
        }
    }

    /// `--check HOST`: which published record matches which certificate, and the warnings of
    /// `TLSAPublicationCheck`. Exit 1 when the TLSA RRset is not secure, a lookup failed or a
    /// finding is an error.
    func runCheck(_ host: DomainName) async throws {
        let probe: MailProbe
        do { probe = try makeProbe() } catch {
            printError("daneprobe tlsa: \(error)")
            throw ExitCode.failure
        }
        let (status, records, notes) = await probe.tlsaRecords(host: host)
        print("; _\(port)._tcp.\(host) TLSA: \(status), \(records.count) record\(records.count == 1 ? "" : "s")")
        for note in notes { print(";   \(note)") }
        let fetched: ServerCertificates
        do { fetched = try await probe.fetchCertificates(host: host) } catch {
            printError("daneprobe tlsa --check: \(error)")
            throw ExitCode.failure
        }
        for handshake in fetched.handshakes { print("; \(fetched.address) \(handshake)") }
        for (index, presented) in fetched.presented.enumerated() {
            let leaf = presented.chain.first.map(CertificateSummary.init(der:))
            print("; certificate \(index + 1): \(presented.keyAlgorithm.rawValue), \(leaf?.subject ?? "?"), SPKI SHA-256 \(leaf?.spkiSHA256 ?? "?"), \(presented.chain.count) in chain")
        }
        let (matches, findings) = TLSAPublicationCheck.evaluate(records: records, presented: fetched.presented)
        for match in matches {
            let what = match.problem.map { "unusable (\($0))" }
                ?? (match.matches.isEmpty ? "matches nothing the server sent"
                    : match.matches.map { "matches certificate \($0.chain + 1) at depth \($0.depth)" }.joined(separator: ", "))
            print("\(match.record.presentation)\t; \(what)")
        }
        for finding in findings { print("; \(finding)") }
        if status != "secure" || findings.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
    }
}
