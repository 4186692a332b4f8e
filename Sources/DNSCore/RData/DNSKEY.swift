/// A DNSSEC public key (RFC 4034 §2). The same layout serves CDNSKEY (RFC 7344 §3.2); see
/// `CDNSKEY`.
///
/// Presentation (RFC 4034 §2.2): flags, protocol and algorithm as numbers (a mnemonic is also
/// accepted for the algorithm), then the public key in base64, which may be split by blanks on
/// input and is printed unbroken. An empty key (legal on the wire) is written as nothing.
public struct DNSKEY: RDataFormat {
    public static let primaryType = RRType.dnskey
    public var flags: UInt16
    /// Always 3 in a valid key (RFC 4034 §2.1.2); other values are kept so they round-trip,
    /// and the validator treats such keys as invalid.
    public var `protocol`: UInt8
    public var algorithm: DNSSECAlgorithm
    public var publicKey: [UInt8]

    /// Bit 7 of the flags (RFC 4034 §2.1.1): the key may verify zone data. Keys without it
    /// must not be used to verify RRSIGs.
    public static let zoneKeyFlag: UInt16 = 0x0100
    /// Bit 8 of the flags (RFC 5011 §7): the key has been revoked by its owner.
    public static let revokeFlag: UInt16 = 0x0080
    /// Bit 15 of the flags (RFC 4034 §2.1.1, RFC 3757): a secure entry point, i.e. by custom a
    /// key-signing key. Only a hint; validators must not depend on it.
    public static let secureEntryPointFlag: UInt16 = 0x0001

    public init(flags: UInt16, protocol: UInt8 = 3, algorithm: DNSSECAlgorithm, publicKey: [UInt8]) {
        self.flags = flags
        self.protocol = `protocol`
        self.algorithm = algorithm
        self.publicKey = publicKey
    }

    /// The CDNSKEY "delete" form `0 3 0 AA==` (RFC 8078 §4): the child asks its parent to
    /// remove all DS records.
    public static let delete = DNSKEY(flags: 0, protocol: 3, algorithm: DNSSECAlgorithm(0), publicKey: [0])

    /// This is the RFC 8078 §4 delete form.
    public var isDeleteForm: Bool { self == .delete }

    /// The Zone Key flag (bit 7, RFC 4034 §2.1.1).
    public var isZoneKey: Bool {
        get { flags & Self.zoneKeyFlag != 0 }
        set { setFlag(Self.zoneKeyFlag, newValue) }
    }

    /// The Secure Entry Point flag (bit 15, RFC 4034 §2.1.1).
    public var isSecureEntryPoint: Bool {
        get { flags & Self.secureEntryPointFlag != 0 }
        set { setFlag(Self.secureEntryPointFlag, newValue) }
    }

    /// The REVOKE flag (bit 8, RFC 5011 §7). Setting it changes the key tag (by 128, modulo
    /// the carry), which is how RFC 5011 §7 lets a revoked key be told apart.
    public var isRevoked: Bool {
        get { flags & Self.revokeFlag != 0 }
        set { setFlag(Self.revokeFlag, newValue) }
    }

    private mutating func setFlag(_ bit: UInt16, _ on: Bool) {
        if on { flags |= bit } else { flags &= ~bit }
    }

    /// The key tag (RFC 4034 Appendix B), which RRSIG and DS records use to point at this key.
    ///
    /// For every algorithm but 1, it is the 16-bit ones'-complement-style checksum of the
    /// whole RDATA in wire form: the octets are read as big-endian 16-bit words (an odd last
    /// octet is the high half of a word), summed in 32 bits, the carry above bit 16 is added
    /// back once, and the low 16 bits are the tag.
    ///
    /// For algorithm 1 (RSA/MD5), Appendix B.1: the tag is the most significant 16 of the least
    /// significant 24 bits of the modulus, i.e. the third- and second-to-last octets of the
    /// public key field (whose last part is the modulus, RFC 3110 §2). A key field shorter than
    /// three octets has no such bits and gets tag 0.
    public var keyTag: UInt16 {
        if algorithm == .rsaMD5 {
            let count = publicKey.count
            guard count >= 3 else { return 0 }
            return UInt16(publicKey[count - 3]) << 8 | UInt16(publicKey[count - 2])
        }
        var accumulator: UInt32 = UInt32(flags) + (UInt32(`protocol`) << 8 | UInt32(algorithm.rawValue))
        var index = 0
        while index < publicKey.count {
            if index + 1 < publicKey.count {
                accumulator &+= UInt32(publicKey[index]) << 8 | UInt32(publicKey[index + 1])
            } else {
                accumulator &+= UInt32(publicKey[index]) << 8
            }
            index += 2
        }
        accumulator &+= accumulator >> 16 & 0xFFFF
        return UInt16(truncatingIfNeeded: accumulator)
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        flags = try reader.readUInt16()
        `protocol` = try reader.readUInt8()
        algorithm = DNSSECAlgorithm(try reader.readUInt8())
        publicKey = reader.readRemaining()
    }

    public func encode(to writer: inout WireWriter) {
        writer.write(flags)
        writer.write(`protocol`)
        writer.write(algorithm.rawValue)
        writer.write(bytes: publicKey)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        flags = try scanner.integer("flags")
        `protocol` = try scanner.integer("protocol")
        algorithm = try scanner.dnssecAlgorithm("algorithm")
        publicKey = scanner.isAtEnd ? [] : try scanner.base64Rest("public key")
    }

    public func appendPresentation(to out: inout String) {
        out.append("\(flags) \(`protocol`) \(algorithm.rawValue)")
        if !publicKey.isEmpty {
            out.append(" ")
            Base64.append(publicKey, to: &out)
        }
    }
}
