import Crypto
import DANE
import DNSCore
import Foundation
import SwiftASN1
import X509

/// What a person needs to know about one certificate the server sent: who it names, who
/// issued it, when it is valid, and the SHA-256 of its SubjectPublicKeyInfo (the association
/// data of a `x 1 1` TLSA record, RFC 6698 §2.1.2).
public struct CertificateSummary: Hashable, Sendable, Codable {
    public var subject: String
    public var issuer: String
    public var notBefore: String
    public var notAfter: String
    /// DNS names of the subjectAltName extension, the first `maxDNSNames` of them.
    public var dnsNames: [String]
    /// How many more the certificate names (nil: none left out). A hostile certificate can
    /// carry thousands; every report and scan row would carry them all.
    public var dnsNamesOmitted: Int?
    /// Hex SHA-256 of the SubjectPublicKeyInfo, as a `3 1 1` record carries it.
    public var spkiSHA256: String
    /// Set when the DER could not be read; the other fields are then empty.
    public var error: String?

    public init(der: [UInt8]) {
        subject = ""
        issuer = ""
        notBefore = ""
        notAfter = ""
        dnsNames = []
        dnsNamesOmitted = nil
        spkiSHA256 = ""
        error = nil
        do {
            let spki = try CertificateFields.subjectPublicKeyInfo(of: der)
            spkiSHA256 = Base16.encode(SHA256.hash(data: Array(spki)), uppercase: false)
        } catch {
            self.error = "\(error)"
            return
        }
        do {
            let certificate = try Certificate(derEncoded: der)
            subject = "\(certificate.subject)"
            issuer = "\(certificate.issuer)"
            notBefore = Self.format(certificate.notValidBefore)
            notAfter = Self.format(certificate.notValidAfter)
            if let names = try certificate.extensions.subjectAlternativeNames {
                let all = names.compactMap { if case .dnsName(let name) = $0 { return name } else { return nil } }
                dnsNames = Array(all.prefix(Self.maxDNSNames))
                if all.count > Self.maxDNSNames { dnsNamesOmitted = all.count - Self.maxDNSNames }
            }
        } catch {
            self.error = "certificate not parsed: \(error)"
        }
    }

    /// DNS names a summary lists at most.
    public static let maxDNSNames = 100

    static func format(_ date: Date) -> String {
        DNSSECTime.rfc3339(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
