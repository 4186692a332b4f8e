import DNSCore
import Foundation
@_spi(FixedExpiryValidationTime) import X509

/// What a DANE-TA(2) check found.
public struct DANETrustAnchorResult: Sendable {
    public struct Match: Sendable {
        public var record: TLSA
        /// Depth of the matching certificate in the chain the server sent; nil when a full
        /// `2 0 0` record supplied the trust anchor itself.
        public var anchorDepth: Int?
        public var presentedName: String
        public var referenceName: DomainName
    }

    public var match: Match?
    /// Why each candidate failed, in order.
    public var reasons: [String]
}

/// RFC 7672 §3.1.2 (DANE-TA(2)): a usable DANE-TA record must match a CA certificate the
/// server *sent* (depth ≥ 1) — a full `2 0 0` record, which holds the whole trust-anchor
/// certificate, is the one exception — and the chain from that trust anchor to the leaf must
/// validate (signatures, validity dates at `time`, basic constraints: RFC 5280 via
/// swift-certificates), with the leaf carrying a reference identifier (`DANEIdentity`,
/// §3.2). The chain is never completed from a local CA store: the only root is the anchor the
/// TLSA record names (RFC 7671 §5.2.2).
///
/// Bounded against hostile chains: only the first `maxChainLength` certificates sent are
/// considered (Postfix's `smtp_tls_scert_verifydepth` is 9 below the leaf), and a CA
/// certificate repeating the subject and key of one sent before it is ignored. Without the
/// second rule swift-certificates' path search, a depth-first walk over every issuer
/// candidate whose signature verifies, tries every ordering of certificates that share a name
/// and a key but differ in their subjectAltName (its loop detection, after RFC 4158 §5.2,
/// takes subject, key and SAN together as a certificate's identity): about n! paths for n of
/// them — eight took 207 s of CPU in a debug build. With the rule each certificate has at
/// most one candidate issuer (the one name and the one key that signed it), so the search is
/// linear in the chain.
public enum DANETrustAnchorValidation {
    /// The leaf and up to 9 CA certificates.
    public static let maxChainLength = 10

    public static func validate(chain sentChain: [[UInt8]], usable: [TLSA], references: [DomainName], at time: Date) async -> DANETrustAnchorResult {
        var reasons: [String] = []
        let chain = Array(sentChain.prefix(maxChainLength))
        if sentChain.count > maxChainLength {
            reasons.append("the server sent \(sentChain.count) certificates: only the first \(maxChainLength) are considered")
        }
        guard let leafDER = chain.first else { return DANETrustAnchorResult(match: nil, reasons: ["the server sent no certificate"]) }
        let leaf: Certificate
        do {
            leaf = try Certificate(derEncoded: leafDER)
        } catch {
            return DANETrustAnchorResult(match: nil, reasons: ["the leaf certificate cannot be parsed: \(error)"])
        }
        var sent: [(depth: Int, certificate: Certificate)] = []
        for (depth, der) in chain.enumerated().dropFirst() {
            guard let certificate = try? Certificate(derEncoded: der) else {
                reasons.append("certificate at depth \(depth) cannot be parsed")
                continue
            }
            if let earlier = sent.first(where: { $0.certificate.subject == certificate.subject && $0.certificate.publicKey == certificate.publicKey }) {
                reasons.append("certificate at depth \(depth) repeats the subject and key of depth \(earlier.depth): ignored")
                continue
            }
            sent.append((depth, certificate))
        }
        var candidates: [(record: TLSA, depth: Int?, anchor: Certificate)] = []
        for record in usable where record.usage == .daneTA {
            var found = false
            for (depth, certificate) in sent where TLSAMatcher.matches(record, certificate: chain[depth]) {
                candidates.append((record, depth, certificate))
                found = true
            }
            if !found, record.selector == .cert, record.matchingType == .full {
                if let anchor = try? Certificate(derEncoded: record.associationData) {
                    candidates.append((record, nil, anchor))
                } else {
                    reasons.append("2 0 0 record does not hold a certificate")
                }
            } else if !found {
                reasons.append("\(record.usage.rawValue) \(record.selector.rawValue) \(record.matchingType.rawValue) matches no CA certificate the server sent")
            }
        }
        let intermediates = CertificateStore(sent.map(\.certificate))
        for candidate in candidates {
            let label = "\(candidate.record.usage.rawValue) \(candidate.record.selector.rawValue) \(candidate.record.matchingType.rawValue)"
                + (candidate.depth.map { " at depth \($0)" } ?? " (full certificate in DNS)")
            var verifier = Verifier(rootCertificates: CertificateStore([candidate.anchor])) {
                RFC5280Policy(fixedExpiryValidationTime: time)
            }
            let outcome = await verifier.validate(leaf: leaf, intermediates: intermediates)
            guard case .validCertificate = outcome else {
                reasons.append("\(label): the chain from this trust anchor to the leaf does not validate (\(outcome))")
                continue
            }
            guard let (presented, reference) = DANEIdentity.match(leaf, references: references) else {
                let names = DANEIdentity.presentedNames(leaf).joined(separator: ", ")
                reasons.append("\(label): the leaf names [\(names)] match none of \(references.map(\.description).joined(separator: ", ")) (RFC 7672 §3.2)")
                continue
            }
            return DANETrustAnchorResult(
                match: .init(record: candidate.record, anchorDepth: candidate.depth, presentedName: presented, referenceName: reference),
                reasons: reasons)
        }
        return DANETrustAnchorResult(match: nil, reasons: reasons)
    }
}
