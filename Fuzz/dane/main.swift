// libFuzzer driver for DANE's certificate and TLSA input: TLSA RDATA off the wire, then
// selection and matching over arbitrary certificate DER (CertificateFields, TLSAMatcher,
// TLSAUsability, DANEIdentity, CertificateSummary's parser). Built through SwiftPM by
// Fuzz/run.sh (the target exists only when DANEPROBE_FUZZ is set) because it needs
// swift-certificates, swift-asn1 and swift-crypto.
//
// Input: [n: 1 octet][n octets of TLSA RDATA][certificate DER…].
// Properties: nothing traps; (1) RDATA that decodes re-encodes to the same octets; (2) a
// record made by `TLSAMatcher.record(for:)` from the DER matches it, for every known
// selector and matching type; (3) a certificate swift-certificates accepts has an SPKI that
// `CertificateFields` finds; (4) `TLSAUsability.partition` keeps every record exactly once.
import DANE
import FuzzDriver
import DNSCore
import X509

private func check(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    let rdataLength = min(Int(first), bytes.count - 1)
    let rdata = Array(bytes[1..<(1 + rdataLength)])
    let der = Array(bytes[(1 + rdataLength)...])

    var records: [TLSA] = []
    var reader = WireReader(rdata)
    if let record = try? TLSA(wire: &reader) {
        var writer = WireWriter()
        record.encode(to: &writer)
        guard writer.bytes == rdata else { fatalError("TLSA RDATA does not re-encode to its octets") }
        records.append(record)
        _ = record.presentation
        _ = TLSAMatcher.matches(record, certificate: der)
    }

    _ = try? CertificateFields.keyAlgorithm(of: der)
    let spki = try? CertificateFields.subjectPublicKeyInfo(of: der)
    for selector in [TLSA.Selector.cert, .spki] {
        for matchingType in [TLSA.MatchingType.full, .sha256, .sha512] {
            guard let made = try? TLSAMatcher.record(for: der, usage: .daneEE, selector: selector, matchingType: matchingType) else { continue }
            guard TLSAMatcher.matches(made, certificate: der) else { fatalError("a record made from a certificate does not match it") }
            guard TLSAMatcher.daneEEMatch([made], leaf: der) == made else { fatalError("daneEEMatch misses a matching DANE-EE record") }
            records.append(made)
        }
    }
    let (usable, unusable) = TLSAUsability.partition(records)
    guard usable.count + unusable.count == records.count else { fatalError("partition lost or duplicated a record") }

    if let certificate = try? Certificate(derEncoded: der) {
        guard spki != nil else { fatalError("swift-certificates reads a certificate whose SPKI CertificateFields cannot find") }
        _ = DANEIdentity.presentedNames(certificate)
        if let reference = try? DomainName(parsing: "mx.example.test.") {
            _ = DANEIdentity.match(certificate, references: [reference])
        }
    }
}

FuzzDriver.run { check($0) }
