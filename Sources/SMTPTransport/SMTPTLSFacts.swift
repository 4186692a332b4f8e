import NIOCore
import NIOSSL

/// What one side of a connection observed of the TLS session started with STARTTLS.
///
/// The peer chain is every certificate the peer sent, in the order sent (leaf first), as DER —
/// captured in the verification callback, which accepts any chain: authentication is the DANE
/// layer's decision (RFC 7672 §3), not TLS's.
public struct SMTPTLSFacts: Hashable, Sendable {
    /// "TLSv1.2", "TLSv1.3", …
    public var version: String?
    /// The IANA cipher suite number from the ServerHello, when it was seen.
    public var cipherSuite: UInt16?
    /// The server name: sent (client side) or received in the ClientHello (server side).
    public var serverName: String?
    /// The peer's certificates as sent, leaf first, DER.
    public var peerChain: [[UInt8]]

    public init(version: String? = nil, cipherSuite: UInt16? = nil, serverName: String? = nil, peerChain: [[UInt8]] = []) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.serverName = serverName
        self.peerChain = peerChain
    }

    /// The OpenSSL-style name of `cipherSuite` for the suites BoringSSL negotiates, else hex.
    public var cipherName: String? {
        guard let cipherSuite else { return nil }
        return TLSHelloInspector.cipherSuiteNames[cipherSuite] ?? "0x" + String(cipherSuite, radix: 16, uppercase: true)
    }

    static func versionName(_ version: TLSVersion?) -> String? {
        switch version {
        case .none: nil
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }

    static func der(_ chain: ValidatedCertificateChain?) -> [[UInt8]] {
        guard let chain else { return [] }
        return chain.compactMap { try? $0.toDERBytes() }
    }
}

/// A verification callback that records nothing itself and accepts every chain, handing the
/// chain as sent back to NIOSSL so it can be read from `peerValidatedCertificateChain`.
/// The name "validated" is NIOSSL's: nothing here validates; DANE does, later.
func acceptAnyChain(_ certificates: [NIOSSLCertificate], _ promise: EventLoopPromise<NIOSSLVerificationResultWithMetadata>) {
    let chain = certificates.isEmpty ? nil : ValidatedCertificateChain(certificates)
    promise.succeed(.certificateVerified(VerificationMetadata(chain)))
}

extension Duration {
    /// For NIO's scheduler (saturating).
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanos.overflow else { return .nanoseconds(Int64.max) }
        return .nanoseconds(nanos.partialValue &+ attoseconds / 1_000_000_000)
    }
}
