import ArgumentParser
import DANE
import DNSCore
import Foundation

struct TLSACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlsa",
        abstract: "Print TLSA records for the certificates in a PEM file.",
        discussion: """
        With no --usage, prints `3 1 1` (DANE-EE, SPKI, SHA-256) for the first certificate (the \
        server's) and `2 1 1` (DANE-TA) for every CA certificate after it — what RFC 7671 §8 \
        and RFC 7672 §3.1 recommend publishing. Publish the next key's record beside the \
        current one before a renewal (RFC 7671 §8.1, "current + next").
        """
    )

    @Option(help: ArgumentHelp("The certificate chain, PEM, server certificate first.", valueName: "FILE"))
    var cert: String

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

    func run() async throws {
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
        for (depth, der) in chain.enumerated() {
            let recordUsage = TLSA.CertificateUsage(rawValue: usage ?? (depth == 0 ? 3 : 2))
            let record: TLSA?
            do {
                record = try TLSAMatcher.record(for: der, usage: recordUsage, selector: TLSA.Selector(rawValue: selector),
                                                matchingType: TLSA.MatchingType(rawValue: matching))
            } catch {
                throw ValidationError("\(cert): certificate \(depth + 1): \(error)")
            }
            guard let record else { throw ValidationError("selector \(selector) / matching type \(matching) are not known") }
            print("\(owner)\(record.presentation)\t; depth \(depth)")
        }
    }
}
