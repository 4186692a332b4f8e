/// The NSEC3 parameters of a zone (RFC 5155 §4): which hash, iterations and salt its
/// authoritative servers use to find NSEC3 records.
///
/// Presentation (RFC 5155 §4.3): algorithm, flags, iterations, and the salt in hex or `-` when
/// empty, printed in lowercase like NSEC3's (see `NSEC3`).
public struct NSEC3PARAM: RDataFormat {
    public static let primaryType = RRType.nsec3param
    public var hashAlgorithm: NSEC3HashAlgorithm
    /// All flags are reserved and zero in NSEC3PARAM (RFC 5155 §4.1.2: the Opt-Out bit is an
    /// NSEC3 flag only); a record with other flags is not used by servers (RFC 5155 §4.2).
    public var flags: UInt8
    public var iterations: UInt16
    /// 0 to 255 octets.
    public var salt: [UInt8]

    public init(hashAlgorithm: NSEC3HashAlgorithm = .sha1, flags: UInt8 = 0, iterations: UInt16, salt: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.flags = flags
        self.iterations = iterations
        self.salt = salt
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        hashAlgorithm = NSEC3HashAlgorithm(try reader.readUInt8())
        flags = try reader.readUInt8()
        iterations = try reader.readUInt16()
        salt = try reader.readCharacterString()
    }

    /// Callers keep `salt` at most 255 octets; a longer one traps here.
    public func encode(to writer: inout WireWriter) {
        writer.write(hashAlgorithm.rawValue)
        writer.write(flags)
        writer.write(iterations)
        writer.writeCharacterString(salt)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        hashAlgorithm = NSEC3HashAlgorithm(try scanner.integer("hash algorithm", as: UInt8.self))
        flags = try scanner.integer("flags")
        iterations = try scanner.integer("iterations")
        salt = try scanner.nsec3Salt()
    }

    public func appendPresentation(to out: inout String) {
        out.append("\(hashAlgorithm.rawValue) \(flags) \(iterations) ")
        NSEC3.appendSalt(salt, to: &out)
    }
}
