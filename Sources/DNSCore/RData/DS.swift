/// A delegation signer (RFC 4034 §5): the digest of a child zone's DNSKEY, published in the
/// parent. The same layout serves CDS (RFC 7344 §3.1), the child's request to its parent; see
/// `CDS`.
///
/// Presentation (RFC 4034 §5.3): key tag, algorithm (a number or a mnemonic on input, the
/// number on output), digest type, and the digest in hex, which may be split by blanks on
/// input and is printed unbroken in uppercase as BIND does.
///
/// The digest must hold at least one octet (an empty one has no presentation form, and none is
/// meaningful). Its length is not checked against the digest type here: a DS whose length is
/// wrong for its type is well-formed data that simply matches no key (`hasExpectedDigestLength`
/// tells), and unknown digest types must survive a round trip.
public struct DS: RDataFormat {
    public static let primaryType = RRType.ds
    public var keyTag: UInt16
    public var algorithm: DNSSECAlgorithm
    public var digestType: DigestType
    public var digest: [UInt8]

    public init(keyTag: UInt16, algorithm: DNSSECAlgorithm, digestType: DigestType, digest: [UInt8]) {
        self.keyTag = keyTag
        self.algorithm = algorithm
        self.digestType = digestType
        self.digest = digest
    }

    /// The CDS "delete DS" form `0 0 0 00` (RFC 8078 §4): the child asks its parent to remove
    /// all DS records, turning the delegation insecure.
    public static let delete = DS(keyTag: 0, algorithm: DNSSECAlgorithm(0), digestType: DigestType(0), digest: [0])

    /// This is the RFC 8078 §4 delete form (key tag, algorithm and digest type 0, digest one
    /// zero octet).
    public var isDeleteForm: Bool { self == .delete }

    /// Whether the digest length is the one the digest type defines; nil for digest types whose
    /// length this library does not know.
    public var hasExpectedDigestLength: Bool? {
        digestType.digestLength.map { $0 == digest.count }
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        keyTag = try reader.readUInt16()
        algorithm = DNSSECAlgorithm(try reader.readUInt8())
        digestType = DigestType(try reader.readUInt8())
        guard !reader.isAtEnd else { throw DNSWireError(.truncated, at: reader.offset, "DS digest is empty") }
        digest = reader.readRemaining()
    }

    public func encode(to writer: inout WireWriter) {
        writer.write(keyTag)
        writer.write(algorithm.rawValue)
        writer.write(digestType.rawValue)
        writer.write(bytes: digest)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        keyTag = try scanner.integer("key tag")
        algorithm = try scanner.dnssecAlgorithm("algorithm")
        digestType = DigestType(try scanner.integer("digest type", as: UInt8.self))
        digest = try scanner.hexRest("digest")
        guard !digest.isEmpty else { throw scanner.error(.badHex, "DS digest is empty") }
    }

    public func appendPresentation(to out: inout String) {
        out.append("\(keyTag) \(algorithm.rawValue) \(digestType.rawValue) ")
        Base16.append(digest, to: &out)
    }
}
