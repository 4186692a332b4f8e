import Foundation
import NIOSSL
import PeerTestSupport

/// The shared test PKI (PeerTestSupport.TestPEM: a lab CA and a leaf for `mx.example.test`,
/// valid 2020-2120) as NIOSSL values.
enum TestCertificates {
    static let leafPEM = TestPEM.leafPEM
    static let caPEM = TestPEM.caPEM
    static let leafKeyPEM = TestPEM.leafKeyPEM

    static var leaf: NIOSSLCertificate { try! NIOSSLCertificate(bytes: Array(leafPEM.utf8), format: .pem) }
    static var ca: NIOSSLCertificate { try! NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem) }
    static var leafKey: NIOSSLPrivateKey { try! NIOSSLPrivateKey(bytes: Array(leafKeyPEM.utf8), format: .pem) }

    /// The chain the servers send, leaf first, as DER — what the client must capture.
    static var chainDER: [[UInt8]] { [try! leaf.toDERBytes(), try! ca.toDERBytes()] }

    static var serverTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(leaf), .certificate(ca)], privateKey: .privateKey(leafKey))
        tls.certificateVerification = .none
        return tls
    }

    static func writeFiles(to folder: URL) throws -> (chain: String, key: String) {
        try TestPEM.writeFiles(to: folder)
    }
}
