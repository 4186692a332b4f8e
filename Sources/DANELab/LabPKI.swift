import Crypto
import DNSCore
import Foundation
import SwiftASN1
import X509

/// The lab's certificates, minted at its reference time: a lab CA, self-signed and CA-issued
/// leaves, expired ones. Keys and serial numbers come from a seeded generator, so the same
/// seed mints the same keys (ECDSA signatures themselves stay randomised).
public struct LabPKI: Sendable {
    /// A minted certificate and its key.
    public struct Issued: Sendable {
        public var certificate: Certificate
        public var key: P256.Signing.PrivateKey
        public var der: [UInt8]
    }

    public struct MintingError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    public static let year: TimeInterval = 365 * 86_400

    public let now: Date
    public let ca: Issued
    private let seed: UInt64

    public init(now: Date, seed: UInt64 = 2015) throws {
        self.now = now
        self.seed = seed
        var random = SplitMix64(seed: seed)
        let key = try Self.key(&random)
        let name = try DistinguishedName { CommonName("daneprobe lab CA") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Self.serial(&random), publicKey: .init(key.publicKey),
            notValidBefore: now - Self.year, notValidAfter: now + 10 * Self.year,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(key))
        ca = Issued(certificate: certificate, key: key, der: try Self.der(certificate))
    }

    /// The leaf `spec` describes, its key derived from the lab seed and `label` (unique per
    /// scenario and certificate name).
    public func mint(_ spec: LabCertificateSpec, label: String) throws -> Issued {
        var random = SplitMix64(seed: seed ^ Self.fnv1a(label))
        let key = try Self.key(&random)
        let commonName = spec.dnsNames.first.map(Self.hostName) ?? "daneprobe lab server"
        let subject = try DistinguishedName { CommonName(commonName) }
        let notBefore = spec.expired ? now - 2 * Self.year : now - 30 * 86_400
        let notAfter = spec.expired ? now - Self.year : now + Self.year
        let issuerName: DistinguishedName
        let issuerKey: P256.Signing.PrivateKey
        switch spec.issuer {
        case .selfSigned:
            issuerName = subject
            issuerKey = key
        case .labCA:
            issuerName = ca.certificate.subject
            issuerKey = ca.key
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Self.serial(&random), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: issuerName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                if !spec.dnsNames.isEmpty { SubjectAlternativeNames(spec.dnsNames.map { GeneralName.dnsName(Self.hostName($0)) }) }
            },
            issuerPrivateKey: .init(issuerKey))
        return Issued(certificate: certificate, key: key, der: try Self.der(certificate))
    }

    /// A host name as certificates spell it: no trailing dot.
    static func hostName(_ name: String) -> String { name.hasSuffix(".") ? String(name.dropLast()) : name }

    static func key(_ random: inout SplitMix64) throws -> P256.Signing.PrivateKey {
        for _ in 0..<8 {
            let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: random.next().bigEndian, Array.init) }
            if let key = try? P256.Signing.PrivateKey(rawRepresentation: bytes) { return key }
        }
        throw MintingError("no P-256 key from the seeded generator")
    }

    static func serial(_ random: inout SplitMix64) -> Certificate.SerialNumber {
        // Positive, 8 octets, first octet non-zero (RFC 5280 §4.1.2.2).
        let value = random.next() | 0x0100_0000_0000_0000
        return Certificate.SerialNumber(bytes: withUnsafeBytes(of: (value & 0x7FFF_FFFF_FFFF_FFFF).bigEndian, Array.init))
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// FNV-1a, 64 bits: a stable hash of a label (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }
}
