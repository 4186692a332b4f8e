import Crypto
import Foundation
import NIOCore
import NIOSSL
import PeerTestSupport
import SMTPTransport
import SwiftASN1
import X509

/// A tiny signed mail lab on real ports for Postfix as the judge: a signed root → `test.` →
/// `pfjudge.test.` hierarchy (ldns, ECDSA P-256) with an unsigned `pfplain.test.` and a
/// `pfbogus.test.` whose DS matches no key, all served by one NSD; a validating Unbound on
/// 127.0.3.1:53 with the root's DS as its only trust anchor (resolv.conf names no port); and
/// our SMTP servers on port 25: STARTTLS at 127.0.3.11 and .12 (one certificate minted at a
/// fixed date), no STARTTLS at .13; nothing listens at .14.
///
/// 127.0.3.0/24 is this lab's alone (no other test uses it); its suites run serialized.
///
///  domain                | MX host                 | TLSA at _25._tcp.HOST                    |
///  good.pfjudge.test     | mx-good (.11, TLS)      | 3 1 1 of the served key: matches         |
///  bad.pfjudge.test      | mx-bad  (.12, TLS)      | 3 1 1 of another key: does not match     |
///  plain.pfjudge.test    | mx-plain (.13, no TLS)  | 3 1 1 of the served key                  |
///  down.pfjudge.test     | mx-down (.14, closed)   | 3 1 1 of the served key                  |
///  nx.pfjudge.test       | (NXDOMAIN)              |                                          |
///  nullmx.pfjudge.test   | (null MX, RFC 7505)     |                                          |
///  pfplain.test (insecure MX RRset) | mx-good.pfjudge.test | secure, matches                 |
///  pfbogus.test (bogus MX RRset)    | mx-good.pfjudge.test |                                 |
struct PostfixJudgeLab {
    static let resolverAddress = "127.0.3.1"
    static let goodAddress = "127.0.3.11"
    static let badAddress = "127.0.3.12"
    static let plainAddress = "127.0.3.13"
    static let downAddress = "127.0.3.14"

    /// The certificate's validity is fixed (DANE-EE ignores it; nothing expires in CI).
    static let notBefore = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let notAfter = Date(timeIntervalSince1970: 2_082_758_400)  // 2036-01-01T00:00:00Z

    static let tools = NSDServer.tools + UnboundResolver.tools + PeerZoneSigner.ldnsTools

    /// The zone folders (the signer writes fixed file names, so one folder per zone).
    let folders: [TemporaryDirectory]
    let nsd: NSDServer
    let unbound: UnboundResolver
    let tlsServer: SMTPServerService
    let plainServer: SMTPServerService
    /// The served key's SPKI SHA-256 (what `3 1 1` must carry), hex.
    let spkiSHA256: String

    /// Mints the certificate, signs and serves the zones, starts Unbound and prepares (does not
    /// run) the SMTP servers: run them with `serveMail`.
    static func start() throws -> PostfixJudgeLab {
        var folders: [TemporaryDirectory] = []
        func folder(_ name: String) throws -> TemporaryDirectory {
            let folder = try TemporaryDirectory(prefix: "postfix-judge-\(name)")
            folders.append(folder)
            return folder
        }
        do {
            let (chainPEM, keyPEM, spki) = try mintServerCertificate()
            let otherSPKI = hex(SHA256.hash(data: P256.Signing.PrivateKey().publicKey.derRepresentation))
            let signer = PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec)

            let judge = try signer.sign(zone: """
                $ORIGIN pfjudge.test.
                $TTL 300
                @ SOA ns.test. hostmaster.test. 1 3600 600 86400 300
                @ NS ns.test.
                good MX 10 mx-good
                mx-good A \(goodAddress)
                _25._tcp.mx-good TLSA 3 1 1 \(spki)
                bad MX 10 mx-bad
                mx-bad A \(badAddress)
                _25._tcp.mx-bad TLSA 3 1 1 \(otherSPKI)
                plain MX 10 mx-plain
                mx-plain A \(plainAddress)
                _25._tcp.mx-plain TLSA 3 1 1 \(spki)
                down MX 10 mx-down
                mx-down A \(downAddress)
                _25._tcp.mx-down TLSA 3 1 1 \(spki)
                nullmx MX 0 .

                """, origin: "pfjudge.test.", in: try folder("pfjudge"))
            let bogus = try signer.sign(zone: """
                $ORIGIN pfbogus.test.
                $TTL 300
                @ SOA ns.test. hostmaster.test. 1 3600 600 86400 300
                @ NS ns.test.
                @ MX 10 mx-good.pfjudge.test.

                """, origin: "pfbogus.test.", in: try folder("pfbogus"))
            let plainFolder = try folder("pfplain")
            let plain = try plainFolder.write("""
                $ORIGIN pfplain.test.
                $TTL 300
                @ SOA ns.test. hostmaster.test. 1 3600 600 86400 300
                @ NS ns.test.
                @ MX 10 mx-good.pfjudge.test.

                """, to: "zone")
            let test = try signer.sign(zone: """
                $ORIGIN test.
                $TTL 300
                @ SOA ns.test. hostmaster.test. 1 3600 600 86400 300
                @ NS ns.test.
                ns A 127.0.0.1
                pfjudge NS ns.test.
                pfplain NS ns.test.
                pfbogus NS ns.test.
                \(judge.ds)
                \(try corrupted(bogus.ds))

                """, origin: "test.", in: try folder("test"))
            let root = try signer.sign(zone: """
                $ORIGIN .
                $TTL 300
                . SOA ns.test. hostmaster.test. 1 3600 600 86400 300
                . NS ns.test.
                test. NS ns.test.
                ns.test. A 127.0.0.1
                \(test.ds)

                """, origin: ".", in: try folder("root"))

            let nsd = try NSDServer.start(zones: [
                (".", root.file), ("test", test.file), ("pfjudge.test", judge.file),
                ("pfplain.test", plain), ("pfbogus.test", bogus.file),
            ])
            let unbound: UnboundResolver
            do {
                unbound = try UnboundResolver.start(
                    zone: ".", otherStubZones: ["test.", "pfjudge.test.", "pfplain.test.", "pfbogus.test."],
                    authorityPort: nsd.port, trustAnchor: root.ds, interface: resolverAddress, port: 53)
            } catch {
                nsd.stop()
                throw error
            }

            let tls = try TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(NIOSSLCertificate(bytes: Array(chainPEM.utf8), format: .pem))],
                privateKey: .privateKey(NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
            let tlsServer = SMTPServerService(configuration: .init(
                addresses: [try SocketAddress(ipAddress: goodAddress, port: 25), try SocketAddress(ipAddress: badAddress, port: 25)],
                session: .init(hostname: "mx.pfjudge.test", startTLSAvailable: true),
                tlsConfiguration: tls, idleTimeout: .seconds(30)))
            let plainServer = SMTPServerService(configuration: .init(
                addresses: [try SocketAddress(ipAddress: plainAddress, port: 25)],
                session: .init(hostname: "mx-plain.pfjudge.test", startTLSAvailable: false),
                tlsConfiguration: nil, idleTimeout: .seconds(30)))
            return PostfixJudgeLab(folders: folders, nsd: nsd, unbound: unbound, tlsServer: tlsServer, plainServer: plainServer, spkiSHA256: spki)
        } catch {
            folders.forEach { $0.remove() }
            throw error
        }
    }

    /// Runs the SMTP servers around `body` (readiness: their bound addresses), then stops them.
    func serveMail<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [tlsServer] in try await tlsServer.run() }
            group.addTask { [plainServer] in try await plainServer.run() }
            defer { group.cancelAll() }
            _ = try await tlsServer.boundAddresses
            _ = try await plainServer.boundAddresses
            return try await body()
        }
    }

    /// Every message the servers accepted, with its session's facts.
    var received: [SMTPStoredMessage] { tlsServer.store.messages + plainServer.store.messages }

    func stop() {
        unbound.stop()
        nsd.stop()
        folders.forEach { $0.remove() }
    }

    // MARK: - Pieces

    /// A self-signed ECDSA P-256 leaf for the mx hosts: chain PEM, PKCS #8 key PEM, and the
    /// SHA-256 of its SubjectPublicKeyInfo (RFC 6698 §2.1.2 selector 1, matching type 1).
    static func mintServerCertificate() throws -> (chain: String, key: String, spkiSHA256: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("mx.pfjudge.test") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName("mx-good.pfjudge.test"), .dnsName("mx-bad.pfjudge.test")])
            },
            issuerPrivateKey: .init(key))
        let chain = try certificate.serializeAsPEM().pemString
        return (chain + "\n", key.pemRepresentation + "\n", hex(SHA256.hash(data: key.publicKey.derRepresentation)))
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The DS line with its digest's last hex digit changed: a DS that matches no key.
    static func corrupted(_ ds: String) throws -> String {
        let line = ds.trimmed
        guard let last = line.last, last.isHexDigit else { throw ToolError.missing("a DS line to corrupt, got \(ds.debugDescription)") }
        return String(line.dropLast()) + (last == "0" ? "1" : "0")
    }
}
