/// Certification Authority Authorization (RFC 8659 §4.1): flags, a property tag and its value.
///
/// Wire form: one flags octet, a tag length octet (at least 1), the tag, and the value filling
/// the rest of the RDATA (so it may exceed 255 octets). Presentation (RFC 8659 §4.1.1):
/// `0 issue "ca.example.net"`, the value printed as a quoted string as BIND and ldns do.
public struct CAA: RDataFormat {
    public static let primaryType = RRType.caa
    public var flags: UInt8
    public var tag: Tag
    /// Opaque octets; for `issue`, `issuewild` and `iodef` they are ASCII text (RFC 8659 §4.2–4.4).
    public var value: [UInt8]

    /// The Issuer Critical flag, bit 0 (RFC 8659 §4.1): a CA that does not understand the
    /// tag must not issue.
    public static let issuerCriticalFlag: UInt8 = 0x80

    public init(flags: UInt8 = 0, tag: Tag, value: [UInt8]) {
        self.flags = flags
        self.tag = tag
        self.value = value
    }

    public init(flags: UInt8 = 0, tag: Tag, value: String) {
        self.init(flags: flags, tag: tag, value: Array(value.utf8))
    }

    public var isIssuerCritical: Bool { flags & Self.issuerCriticalFlag != 0 }

    /// The tag must be 1–255 ASCII letters and digits (RFC 8659 §4.1); anything else is
    /// malformed RDATA.
    public init(wire reader: inout WireReader) throws(DNSWireError) {
        flags = try reader.readUInt8()
        let tagStart = reader.offset
        let tagBytes = try reader.readCharacterString()
        guard let tag = Tag(bytes: tagBytes) else {
            throw DNSWireError(.badRDATA, at: tagStart, "CAA tag must be 1 to 255 ASCII letters and digits (RFC 8659 §4.1)")
        }
        self.tag = tag
        value = reader.readRemaining()
    }

    public func encode(to writer: inout WireWriter) {
        writer.write(flags)
        writer.writeCharacterString(tag.bytes)
        writer.write(bytes: value)
    }

    /// The value is one token, quoted or not, with escapes decoded; unlike a
    /// character-string it may exceed 255 octets.
    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        flags = try scanner.integer("CAA flags")
        let tagToken = try scanner.next("CAA tag")
        guard !tagToken.isQuoted, let tag = Tag(bytes: tagToken.text) else {
            throw scanner.error(.badValue, at: tagToken, "CAA tag \"\(tagToken.string)\" must be 1 to 255 ASCII letters and digits (RFC 8659 §4.1)")
        }
        self.tag = tag
        let valueToken = try scanner.next("CAA value")
        let value = try scanner.decodeEscapes(valueToken, what: "CAA value")
        guard 2 + tag.bytes.count + value.count <= Int(UInt16.max) else {
            throw scanner.error(.badString, at: valueToken, "CAA value makes the RDATA exceed 65535 octets")
        }
        self.value = value
    }

    public func appendPresentation(to out: inout String) {
        out.append(String(flags))
        out.append(" ")
        out.append(tag.description)
        out.append(" ")
        CharacterString.appendQuoted(value, to: &out)
    }
}

extension CAA {
    /// A CAA property tag (RFC 8659 §4.1, IANA "Certification Authority Restriction
    /// Properties"). Open: any 1–255 ASCII letters and digits. Tags match case-insensitively
    /// (RFC 8659 §4.1), so equality and hashing ignore case; the spelling is kept for printing.
    public struct Tag: Sendable, CustomStringConvertible {
        /// The tag as written (ASCII letters and digits only).
        public let bytes: [UInt8]

        /// Nil unless `bytes` is 1–255 ASCII letters and digits.
        public init?(bytes: some Collection<UInt8>) {
            guard !bytes.isEmpty, bytes.count <= 255, bytes.allSatisfy(Self.isAlphanumeric) else { return nil }
            self.bytes = Array(bytes)
        }

        public init?(_ text: String) { self.init(bytes: Array(text.utf8)) }

        private init(known text: StaticString) {
            self.bytes = text.withUTF8Buffer { Array($0) }
        }

        /// Authorizes a CA to issue certificates (RFC 8659 §4.2).
        public static let issue = Tag(known: "issue")
        /// Authorizes a CA to issue wildcard certificates (RFC 8659 §4.3).
        public static let issueWild = Tag(known: "issuewild")
        /// Where to report policy violations (RFC 8659 §4.4).
        public static let iodef = Tag(known: "iodef")
        /// Domain contact by email (CA/Browser Forum Baseline Requirements, IANA registry).
        public static let contactEmail = Tag(known: "contactemail")
        /// Domain contact by phone (CA/Browser Forum Baseline Requirements, IANA registry).
        public static let contactPhone = Tag(known: "contactphone")
        /// Authorizes a CA to issue S/MIME certificates (RFC 9495 §3).
        public static let issueMail = Tag(known: "issuemail")
        /// Authorizes a CA to issue VMCs (IANA registry).
        public static let issueVMC = Tag(known: "issuevmc")

        public var description: String { String(decoding: bytes, as: UTF8.self) }

        static func isAlphanumeric(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
            default: false
            }
        }
    }
}

extension CAA.Tag: Hashable {
    public static func == (lhs: CAA.Tag, rhs: CAA.Tag) -> Bool {
        lhs.bytes.count == rhs.bytes.count && zip(lhs.bytes, rhs.bytes).allSatisfy { $0 | 0x20 == $1 | 0x20 }
    }

    public func hash(into hasher: inout Hasher) {
        for byte in bytes { hasher.combine(byte | 0x20) }
    }
}
