import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates minted in the test at a fixed reference time (nothing expires in CI): a lab
/// CA, an intermediate, and leaves naming given hosts.
struct TestPKI {
    static let reference = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let year: TimeInterval = 365 * 86_400

    struct Issued {
        var certificate: Certificate
        var key: P256.Signing.PrivateKey
        var der: [UInt8] {
            var serializer = DER.Serializer()
            try! serializer.serialize(certificate)
            return serializer.serializedBytes
        }
    }

    static func name(_ commonName: String) -> DistinguishedName {
        try! DistinguishedName { CommonName(commonName) }
    }

    static func ca(_ commonName: String, signedBy issuer: Issued? = nil) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: reference - year, notValidAfter: reference + 10 * year,
            issuer: issuer?.certificate.subject ?? name(commonName), subject: name(commonName),
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(issuer?.key ?? key))
        return Issued(certificate: certificate, key: key)
    }

    /// A leaf for `dnsNames` (none: only a CommonName), valid from `notBefore` to `notAfter`.
    static func leaf(_ commonName: String, dnsNames: [String], issuer: Issued,
                     notBefore: Date = reference - year, notAfter: Date = reference + year) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: issuer.certificate.subject, subject: name(commonName),
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                if !dnsNames.isEmpty { SubjectAlternativeNames(dnsNames.map { GeneralName.dnsName($0) }) }
            },
            issuerPrivateKey: .init(issuer.key))
        return Issued(certificate: certificate, key: key)
    }
}
