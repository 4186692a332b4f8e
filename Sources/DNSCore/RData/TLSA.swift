/// A TLS certificate association (RFC 6698 §2): which certificate or key a TLS server at this
/// owner (`_port._proto.host`) must present, and how to match it. The same layout serves
/// SMIMEA (RFC 8162); see `SMIMEA`.
///
/// Presentation (RFC 6698 §2.2): usage, selector and matching type as numbers (the RFC 7218
/// mnemonics such as `DANE-EE SPKI SHA2-256` are accepted on input), then the association data
/// in hex, which may be split by blanks on input and is printed unbroken in uppercase as BIND
/// does. The data must hold at least one octet (RFC 6698 §2.2 writes it as a hex string; an
/// empty one has no presentation form).
public struct TLSA: RDataFormat {
    public static let primaryType = RRType.tlsa
    public var usage: CertificateUsage
    public var selector: Selector
    public var matchingType: MatchingType
    public var associationData: [UInt8]

    public init(usage: CertificateUsage, selector: Selector, matchingType: MatchingType, associationData: [UInt8]) {
        self.usage = usage
        self.selector = selector
        self.matchingType = matchingType
        self.associationData = associationData
    }

    /// Whether the association data has the length of the matching type's digest: 32 octets
    /// for SHA2-256 (1), 64 for SHA2-512 (2). Nil when the matching type fixes no length (Full,
    /// private, unassigned). A record answering false can match no certificate; this is the
    /// fact the DANE layer's usability checks (RFC 7671 §9) start from, not a verdict.
    public var digestLengthFitsMatchingType: Bool? {
        matchingType.digestLength.map { $0 == associationData.count }
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        usage = CertificateUsage(try reader.readUInt8())
        selector = Selector(try reader.readUInt8())
        matchingType = MatchingType(try reader.readUInt8())
        guard !reader.isAtEnd else { throw DNSWireError(.truncated, at: reader.offset, "TLSA association data is empty") }
        associationData = reader.readRemaining()
    }

    public func encode(to writer: inout WireWriter) {
        writer.write(usage.rawValue)
        writer.write(selector.rawValue)
        writer.write(matchingType.rawValue)
        writer.write(bytes: associationData)
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        usage = CertificateUsage(rawValue: try scanner.tlsaField("certificate usage", mnemonics: CertificateUsage.byMnemonic))
        selector = Selector(rawValue: try scanner.tlsaField("selector", mnemonics: Selector.byMnemonic))
        matchingType = MatchingType(rawValue: try scanner.tlsaField("matching type", mnemonics: MatchingType.byMnemonic))
        associationData = try scanner.hexRest("certificate association data")
        guard !associationData.isEmpty else { throw scanner.error(.badHex, "TLSA association data is empty") }
    }

    public func appendPresentation(to out: inout String) {
        out.append("\(usage.rawValue) \(selector.rawValue) \(matchingType.rawValue) ")
        Base16.append(associationData, to: &out)
    }
}

extension TLSA {
    /// The TLSA Certificate Usage field (RFC 6698 §2.1.1, names from RFC 7218 §2.1). Open.
    public struct CertificateUsage: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public init(_ rawValue: UInt8) { self.rawValue = rawValue }

        /// CA constraint: a CA in the PKIX-validated chain (RFC 6698 §2.1.1 usage 0).
        public static let pkixTA = CertificateUsage(0)
        /// Service certificate constraint: the PKIX-validated end-entity certificate (usage 1).
        public static let pkixEE = CertificateUsage(1)
        /// Trust anchor assertion: a trust anchor for the chain, no PKIX roots needed (usage 2).
        public static let daneTA = CertificateUsage(2)
        /// Domain-issued certificate: the end-entity certificate or key itself (usage 3).
        public static let daneEE = CertificateUsage(3)
        /// Private use (RFC 6698 §7.2).
        public static let privCert = CertificateUsage(255)

        static let mnemonics: [CertificateUsage: String] = [
            .pkixTA: "PKIX-TA", .pkixEE: "PKIX-EE", .daneTA: "DANE-TA", .daneEE: "DANE-EE", .privCert: "PrivCert",
        ]
        static let byMnemonic = uppercasedIndex(mnemonics)

        public var description: String { Self.mnemonics[self] ?? String(rawValue) }
    }

    /// The TLSA Selector field (RFC 6698 §2.1.2, names from RFC 7218 §2.2). Open.
    public struct Selector: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public init(_ rawValue: UInt8) { self.rawValue = rawValue }

        /// The full certificate, DER-encoded.
        public static let cert = Selector(0)
        /// The DER SubjectPublicKeyInfo, exactly as the certificate encodes it.
        public static let spki = Selector(1)
        /// Private use (RFC 6698 §7.3).
        public static let privSel = Selector(255)

        static let mnemonics: [Selector: String] = [.cert: "Cert", .spki: "SPKI", .privSel: "PrivSel"]
        static let byMnemonic = uppercasedIndex(mnemonics)

        public var description: String { Self.mnemonics[self] ?? String(rawValue) }
    }

    /// The TLSA Matching Type field (RFC 6698 §2.1.3, names from RFC 7218 §2.3). Open.
    public struct MatchingType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public init(_ rawValue: UInt8) { self.rawValue = rawValue }

        /// Exact match on the selected content.
        public static let full = MatchingType(0)
        /// SHA2-256 of the selected content.
        public static let sha256 = MatchingType(1)
        /// SHA2-512 of the selected content.
        public static let sha512 = MatchingType(2)
        /// Private use (RFC 6698 §7.4).
        public static let privMatch = MatchingType(255)

        /// The digest length in octets, for the digest matching types.
        public var digestLength: Int? {
            switch self {
            case .sha256: 32
            case .sha512: 64
            default: nil
            }
        }

        static let mnemonics: [MatchingType: String] = [
            .full: "Full", .sha256: "SHA2-256", .sha512: "SHA2-512", .privMatch: "PrivMatch",
        ]
        static let byMnemonic = uppercasedIndex(mnemonics)

        public var description: String { Self.mnemonics[self] ?? String(rawValue) }
    }
}

private func uppercasedIndex<Value>(_ mnemonics: [Value: String]) -> [String: UInt8] where Value: RawRepresentable<UInt8> {
    Dictionary(uniqueKeysWithValues: mnemonics.map { ($1.uppercased(), $0.rawValue) })
}

extension PresentationScanner {
    /// A TLSA field: a number from 0 to 255 or, case-insensitively, an RFC 7218 mnemonic.
    fileprivate mutating func tlsaField(_ what: String, mnemonics: [String: UInt8]) throws(PresentationError) -> UInt8 {
        let token = try next(what)
        if !token.isQuoted {
            if let number = Self.decimal(token.text, as: UInt8.self) { return number }
            if let known = mnemonics[token.string.uppercased()] { return known }
        }
        throw error(.badValue, at: token, "\(what) \"\(token.string)\" is neither a number from 0 to 255 nor an RFC 7218 mnemonic")
    }
}
