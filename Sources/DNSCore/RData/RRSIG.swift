/// A DNSSEC signature over one RRset (RFC 4034 §3).
///
/// The signer's name is never compressed when sent (RFC 4034 §3.1.7) and is lowercased in the
/// canonical form (RFC 4034 §6.2 item 3); both follow from `RRType.rrsig`'s name rules in
/// `WireWriter`. A compressed signer name is still accepted on input, as BIND does.
///
/// Presentation (RFC 4034 §3.2): type covered as a mnemonic (or `TYPEnnn`), algorithm (number
/// or mnemonic in, number out), labels, original TTL (plain seconds, or BIND's `1h` units on
/// input), expiration and inception (`YYYYMMDDHHmmSS` in UTC, or decimal seconds on input;
/// always `YYYYMMDDHHmmSS` out, see `DNSSECTime`), key tag, signer's name, and the signature in
/// base64, split by blanks or not on input, unbroken on output. An empty signature (legal on
/// the wire) is written as nothing.
public struct RRSIG: RDataFormat {
    public static let primaryType = RRType.rrsig
    public var typeCovered: RRType
    public var algorithm: DNSSECAlgorithm
    /// The number of labels of the original owner name, not counting the root label nor a
    /// leading `*` (RFC 4034 §3.1.3); fewer than the owner has means a wildcard expansion.
    public var labels: UInt8
    public var originalTTL: UInt32
    /// Seconds since 1970-01-01T00:00:00Z, compared with serial number arithmetic (RFC 4034
    /// §3.1.5).
    public var expiration: UInt32
    /// Seconds since 1970-01-01T00:00:00Z, compared with serial number arithmetic (RFC 4034
    /// §3.1.5).
    public var inception: UInt32
    public var keyTag: UInt16
    public var signerName: DomainName
    public var signature: [UInt8]

    public init(
        typeCovered: RRType, algorithm: DNSSECAlgorithm, labels: UInt8, originalTTL: UInt32,
        expiration: UInt32, inception: UInt32, keyTag: UInt16, signerName: DomainName, signature: [UInt8]
    ) {
        self.typeCovered = typeCovered
        self.algorithm = algorithm
        self.labels = labels
        self.originalTTL = originalTTL
        self.expiration = expiration
        self.inception = inception
        self.keyTag = keyTag
        self.signerName = signerName
        self.signature = signature
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        typeCovered = RRType(try reader.readUInt16())
        algorithm = DNSSECAlgorithm(try reader.readUInt8())
        labels = try reader.readUInt8()
        originalTTL = try reader.readUInt32()
        expiration = try reader.readUInt32()
        inception = try reader.readUInt32()
        keyTag = try reader.readUInt16()
        signerName = try reader.readName()
        signature = reader.readRemaining()
    }

    /// The RDATA with the signature field left out (RFC 4034 §3.1.8.1), which is the start of
    /// the data a signature is computed over: the signer's name is lowercased there, as the
    /// canonical form of an RRSIG requires.
    public var signedFieldsWire: [UInt8] {
        var writer = WireWriter(mode: .canonical, capacity: 18 + signerName.wire.count)
        writer.rdataType = .rrsig
        encodeFields(to: &writer)
        return writer.bytes
    }

    private func encodeFields(to writer: inout WireWriter) {
        writer.write(typeCovered.rawValue)
        writer.write(algorithm.rawValue)
        writer.write(labels)
        writer.write(originalTTL)
        writer.write(expiration)
        writer.write(inception)
        writer.write(keyTag)
        writer.writeRDataName(signerName)
    }

    public func encode(to writer: inout WireWriter) {
        encodeFields(to: &writer)
        writer.write(bytes: signature)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        let typeToken = try scanner.next("type covered")
        guard !typeToken.isQuoted, let covered = RRType(mnemonic: typeToken.string) else {
            throw scanner.error(.badValue, at: typeToken, "type covered \"\(typeToken.string)\" is not a type mnemonic or TYPEnnn")
        }
        typeCovered = covered
        algorithm = try scanner.dnssecAlgorithm("algorithm")
        labels = try scanner.integer("labels")
        originalTTL = try scanner.duration("original TTL")
        expiration = try scanner.signatureTime("signature expiration")
        inception = try scanner.signatureTime("signature inception")
        keyTag = try scanner.integer("key tag")
        signerName = try scanner.name("signer's name")
        signature = scanner.isAtEnd ? [] : try scanner.base64Rest("signature")
    }

    public func appendPresentation(to out: inout String) {
        out.append("\(typeCovered) \(algorithm.rawValue) \(labels) \(originalTTL) ")
        DNSSECTime.append(expiration, to: &out)
        out.append(" ")
        DNSSECTime.append(inception, to: &out)
        out.append(" \(keyTag) ")
        signerName.appendPresentation(to: &out)
        if !signature.isEmpty {
            out.append(" ")
            Base64.append(signature, to: &out)
        }
    }
}
