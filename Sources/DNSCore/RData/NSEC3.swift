/// Hashed authenticated denial of existence (RFC 5155 §3): the hash of the next owner name in
/// hash order, and the types present at this (hashed) owner.
///
/// Wire form (RFC 5155 §3.2): hash algorithm, flags, iterations, salt length and salt (0 to
/// 255 octets), hash length and next hashed owner name (1 to 255 octets; RFC 5155 §3.2 has no
/// empty hash, so length 0 is rejected), then the type bitmap, which may be empty (an empty
/// non-terminal, RFC 5155 §7.1).
///
/// Presentation (RFC 5155 §3.3): algorithm, flags and iterations as numbers, the salt in hex or
/// `-` when empty, the next hashed owner name in unpadded base32hex (RFC 4648 §7, either case
/// in), then the type mnemonics. Salt and hash are printed in lowercase as ldns prints them and
/// as RFC 5155 Appendix A writes them (BIND prints both in uppercase; the case carries no
/// meaning).
public struct NSEC3: RDataFormat {
    public static let primaryType = RRType.nsec3
    public var hashAlgorithm: NSEC3HashAlgorithm
    public var flags: UInt8
    public var iterations: UInt16
    /// 0 to 255 octets.
    public var salt: [UInt8]
    /// The next hashed owner name as raw hash octets (1 to 255), not base32hex text.
    public var nextHashedOwnerName: [UInt8]
    public var types: TypeBitmap

    /// The Opt-Out flag (RFC 5155 §3.1.2.1): this NSEC3 may cover unsigned delegations.
    public static let optOutFlag: UInt8 = 0x01

    public init(
        hashAlgorithm: NSEC3HashAlgorithm = .sha1, flags: UInt8, iterations: UInt16, salt: [UInt8],
        nextHashedOwnerName: [UInt8], types: TypeBitmap
    ) {
        self.hashAlgorithm = hashAlgorithm
        self.flags = flags
        self.iterations = iterations
        self.salt = salt
        self.nextHashedOwnerName = nextHashedOwnerName
        self.types = types
    }

    /// The Opt-Out flag (bit 7 of the flags field, value 1; RFC 5155 §3.1.2.1).
    public var isOptOut: Bool {
        get { flags & Self.optOutFlag != 0 }
        set { if newValue { flags |= Self.optOutFlag } else { flags &= ~Self.optOutFlag } }
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        hashAlgorithm = NSEC3HashAlgorithm(try reader.readUInt8())
        flags = try reader.readUInt8()
        iterations = try reader.readUInt16()
        salt = try reader.readCharacterString()
        let hashAt = reader.offset
        nextHashedOwnerName = try reader.readCharacterString()
        guard !nextHashedOwnerName.isEmpty else {
            throw DNSWireError(.badRDATA, at: hashAt, "NSEC3 next hashed owner name has length 0")
        }
        types = try TypeBitmap(wire: &reader)
    }

    /// Callers keep `salt` and `nextHashedOwnerName` at most 255 octets (both are length-
    /// prefixed by one octet); longer ones trap here.
    public func encode(to writer: inout WireWriter) {
        writer.write(hashAlgorithm.rawValue)
        writer.write(flags)
        writer.write(iterations)
        writer.writeCharacterString(salt)
        writer.writeCharacterString(nextHashedOwnerName)
        types.encode(to: &writer)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        hashAlgorithm = NSEC3HashAlgorithm(try scanner.integer("hash algorithm", as: UInt8.self))
        flags = try scanner.integer("flags")
        iterations = try scanner.integer("iterations")
        salt = try scanner.nsec3Salt()
        let token = try scanner.next("next hashed owner name")
        guard !token.isQuoted, let hash = Base32Hex.decode(token.text) else {
            throw scanner.error(.badValue, at: token, "next hashed owner name \"\(token.string)\" is not unpadded base32hex (RFC 4648 §7)")
        }
        guard (1...255).contains(hash.count) else {
            throw scanner.error(.badValue, at: token, "next hashed owner name is \(hash.count) octets, not 1 to 255")
        }
        nextHashedOwnerName = hash
        types = try TypeBitmap(presentation: &scanner)
    }

    public func appendPresentation(to out: inout String) {
        out.append("\(hashAlgorithm.rawValue) \(flags) \(iterations) ")
        NSEC3.appendSalt(salt, to: &out)
        out.append(" ")
        Base32Hex.append(nextHashedOwnerName, to: &out, uppercase: false)
        if !types.isEmpty {
            out.append(" ")
            types.appendPresentation(to: &out)
        }
    }

    /// The salt field's text: `-` when empty (RFC 5155 §3.3), else lowercase hex.
    static func appendSalt(_ salt: [UInt8], to out: inout String) {
        if salt.isEmpty { out.append("-") } else { Base16.append(salt, to: &out, uppercase: false) }
    }
}

extension PresentationScanner {
    /// An NSEC3 or NSEC3PARAM salt (RFC 5155 §3.3, §4.3): one token of hex, or `-` for none; at
    /// most 255 octets.
    public mutating func nsec3Salt() throws(PresentationError) -> [UInt8] {
        let token = try next("salt")
        if !token.isQuoted, token.text.elementsEqual([UInt8(ascii: "-")]) { return [] }
        guard !token.isQuoted, !token.text.isEmpty, let salt = Base16.decode(token.text) else {
            throw error(.badHex, at: token, "salt \"\(token.string)\" is neither hex nor \"-\"")
        }
        guard salt.count <= 255 else { throw error(.badValue, at: token, "salt is \(salt.count) octets, over 255") }
        return salt
    }
}
