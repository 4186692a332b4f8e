import DANE
import DNSCore
import DNSTransport
import Foundation
import NIOCore
import NIOSSL
import SMTPCore
import SMTPTransport

/// Every certificate chain an SMTP server presents over STARTTLS (`daneprobe tlsa --connect`
/// and `--check`): one handshake as a sender makes it, then one offering only ECDSA and one
/// offering only RSA signature algorithms (RFC 8446 §4.2.3), so a server with dual RSA/ECDSA
/// certificates shows both.
public struct ServerCertificates: Hashable, Sendable {
    /// The published address connected to.
    public var address: String
    /// Distinct chains, the default handshake's first.
    public var presented: [TLSAPublicationCheck.Presented]
    /// What each handshake did, in words (`default: TLSv1.3 …`, `RSA only: handshake failed …`).
    public var handshakes: [String]
}

extension MailProbe {
    /// Why the certificates could not be fetched.
    public struct FetchFailure: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Connects to the first address of `host` (A first, then AAAA; as the resolver finds
    /// them, secure or not) on `options.port`, with SNI `host`, and collects the chains.
    public func fetchCertificates(host: DomainName) async throws(FetchFailure) -> ServerCertificates {
        var address: String?
        for type in [RRType.a, .aaaa] {
            let lookup = await lookUp(host, type)
            let rdatas = (lookup.answer?.rrsets ?? []).filter { $0.type == type }.flatMap(\.rdatas)
            address = rdatas.lazy.compactMap { $0.as(A.self).map { "\($0.address)" } ?? $0.as(AAAA.self).map { "\($0.address)" } }.first
            if address != nil { break }
        }
        guard let address else { throw FetchFailure(reason: "\(host) has no A or AAAA records") }
        let published = DNSServerAddress(host: address, port: options.port)
        let socketAddress: SocketAddress
        do { socketAddress = try options.addressMap.map(published).socketAddress() } catch {
            throw FetchFailure(reason: "\(error)")
        }
        let variants: [(label: String, algorithms: [SignatureAlgorithm]?)] = [
            ("default", nil),
            ("ECDSA only", [.ecdsaSecp256R1Sha256, .ecdsaSecp384R1Sha384, .ecdsaSecp521R1Sha512, .ed25519]),
            ("RSA only", [.rsaPssRsaeSha256, .rsaPssRsaeSha384, .rsaPssRsaeSha512, .rsaPkcs1Sha256, .rsaPkcs1Sha384, .rsaPkcs1Sha512]),
        ]
        var presented: [TLSAPublicationCheck.Presented] = []
        var handshakes: [String] = []
        for variant in variants {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.verifySignatureAlgorithms = variant.algorithms
            let configuration = SMTPProbe.Configuration(
                session: SMTPClientStateMachine.Configuration(clientName: options.ehloName, tls: .required,
                                                              timeouts: SMTPClientStateMachine.Timeouts(all: options.timeout)),
                sniHostname: host.textWithoutTrailingDot, tlsConfiguration: tls, connectTimeout: options.timeout)
            let result: SMTPSessionResult
            do { result = try await SMTPProbe.run(to: socketAddress, configuration: configuration) } catch {
                handshakes.append("\(variant.label): \(error)")
                continue
            }
            switch HostProbe.observed(result) {
            case .tls(let facts):
                handshakes.append("\(variant.label): \(facts.version) with cipher \(facts.cipher)")
                guard let leaf = facts.chain.first, !presented.contains(where: { $0.chain.first == leaf }) else { continue }
                let algorithm = (try? CertificateFields.keyAlgorithm(of: leaf)) ?? .other
                presented.append(TLSAPublicationCheck.Presented(keyAlgorithm: algorithm, chain: facts.chain))
            case .noSTARTTLS:
                handshakes.append("\(variant.label): the server offers no STARTTLS")
                if variant.algorithms == nil { throw FetchFailure(reason: "\(host)[\(address)]:\(options.port) offers no STARTTLS") }
            case .tlsFailed(let why):
                handshakes.append("\(variant.label): handshake failed: \(why)")
            case .unreachable(let why):
                if variant.algorithms == nil { throw FetchFailure(reason: "\(host)[\(address)]:\(options.port): \(why)") }
                handshakes.append("\(variant.label): \(why)")
            }
        }
        return ServerCertificates(address: HostProbe.text(published), presented: presented, handshakes: handshakes)
    }

    /// The TLSA RRset at `_PORT._tcp.HOST`, validated: its status and records.
    public func tlsaRecords(host: DomainName) async -> (status: String, records: [TLSA], reasons: [String]) {
        let outcome = await HostProbe.lookUpTLSA(candidates: [host], probe: self)
        switch outcome.lookup {
        case .secure(let records): return ("secure", records, [])
        case .secureDenial: return ("secure", [], ["no TLSA records at \(outcome.report.queried.first ?? "?") (securely denied)"])
        case .insecure:
            let records = outcome.report.records.compactMap { try? RData(type: .tlsa, text: $0).as(TLSA.self) }
            return ("insecure", records, ["the TLSA RRset is not DNSSEC-secure: senders do not use it"])
        case .failed(let why): return ("failed", [], [why])
        case .notLookedUp: return ("not-looked-up", [], [])
        }
    }
}
