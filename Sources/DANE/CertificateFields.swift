/// The parts of an X.509 certificate (RFC 5280 §4.1) that TLSA records select, cut out of
/// the DER exactly as the certificate encodes them: TLSA selector 1 hashes the
/// SubjectPublicKeyInfo *as encoded in the certificate* (RFC 6698 §2.1.2), so it must never be
/// re-encoded from a parsed key.
public enum CertificateFields {
    /// Why a certificate's DER could not be read.
    public struct Malformed: Error, Hashable, Sendable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "malformed certificate DER at offset \(offset): \(reason)" }
    }

    /// The DER of the SubjectPublicKeyInfo: Certificate ::= SEQUENCE { tbsCertificate
    /// SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject,
    /// subjectPublicKeyInfo, … }, … } (RFC 5280 §4.1).
    public static func subjectPublicKeyInfo(of der: [UInt8]) throws(Malformed) -> ArraySlice<UInt8> {
        var reader = DERCursor(der)
        let certificate = try reader.element(tag: 0x30, "Certificate")
        var tbsReader = DERCursor(der, range: certificate.content)
        let tbs = try tbsReader.element(tag: 0x30, "tbsCertificate")
        var fields = DERCursor(der, range: tbs.content)
        if fields.peekTag == 0xA0 { _ = try fields.element(tag: 0xA0, "version") }
        for name in ["serialNumber", "signature", "issuer", "validity", "subject"] { _ = try fields.element(tag: nil, name) }
        let spki = try fields.element(tag: 0x30, "subjectPublicKeyInfo")
        return der[spki.whole]
    }

    /// The kind of key a certificate carries, from the algorithm OID of its
    /// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): `SubjectPublicKeyInfo ::= SEQUENCE {
    /// algorithm AlgorithmIdentifier ::= SEQUENCE { algorithm OID, … }, … }` — rsaEncryption
    /// (RFC 8017 App. C), id-ecPublicKey (RFC 5480 §2.1.1), id-Ed25519 / id-Ed448 (RFC 8410 §3).
    public static func keyAlgorithm(of der: [UInt8]) throws(Malformed) -> KeyAlgorithm {
        let spki = try subjectPublicKeyInfo(of: der)
        let bytes = Array(spki)
        var outer = DERCursor(bytes)
        let sequence = try outer.element(tag: 0x30, "subjectPublicKeyInfo")
        var inner = DERCursor(bytes, range: sequence.content)
        let algorithm = try inner.element(tag: 0x30, "algorithm")
        var identifier = DERCursor(bytes, range: algorithm.content)
        let oid = try identifier.element(tag: 0x06, "algorithm OID")
        switch Array(bytes[oid.content]) {
        case [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]: return .rsa
        case [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]: return .ecdsa
        case [0x2B, 0x65, 0x70]: return .ed25519
        case [0x2B, 0x65, 0x71]: return .ed448
        default: return .other
        }
    }

    public enum KeyAlgorithm: String, Hashable, Sendable, CaseIterable {
        case rsa = "RSA", ecdsa = "ECDSA", ed25519 = "Ed25519", ed448 = "Ed448", other
    }
}

/// A bounds-checked walk over DER TLVs (ITU-T X.690 §8.1), enough to find fields by position.
struct DERCursor {
    struct Element {
        var whole: Range<Int>
        var content: Range<Int>
    }

    let bytes: [UInt8]
    var index: Int
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        self.index = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
    }

    var peekTag: UInt8? { index < end ? bytes[index] : nil }

    /// The next element; `tag` nil accepts any.
    mutating func element(tag: UInt8?, _ what: String) throws(CertificateFields.Malformed) -> Element {
        let start = index
        guard index < end else { throw .init(offset: index, reason: "\(what) missing") }
        let found = bytes[index]
        if let tag, found != tag {
            throw .init(offset: index, reason: "\(what): tag 0x\(String(found, radix: 16)), expected 0x\(String(tag, radix: 16))")
        }
        guard found & 0x1F != 0x1F else { throw .init(offset: index, reason: "\(what): multi-octet tags are not used in certificates") }
        index += 1
        guard index < end else { throw .init(offset: index, reason: "\(what): no length") }
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, end - index >= count else { throw .init(offset: index - 1, reason: "\(what): bad length") }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard length <= end - index else { throw .init(offset: start, reason: "\(what): \(length) octets run past the end") }
        let content = index..<(index + length)
        index += length
        return Element(whole: start..<index, content: content)
    }
}
