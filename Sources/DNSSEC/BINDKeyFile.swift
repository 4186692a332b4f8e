import DNSCore

/// The key files `dnssec-keygen` and `ldns-keygen` write, a pair per key named
/// `K<owner>+<algorithm, 3 digits>+<key tag, 5 digits>`: `.key` holds the DNSKEY record in
/// master-file form, `.private` the private key in BIND's "Private-key-format: v1.x" text.
/// Parsing and printing only: reading and writing the files is the caller's business.
public enum BINDKeyFile {
    /// `K<owner>+<alg>+<tag>`, e.g. `Kexample.com.+013+24971` (the owner as printed, with its
    /// trailing dot; the root is `K.+…`).
    public static func baseName(owner: DomainName, algorithm: DNSSECAlgorithm, keyTag: UInt16) -> String {
        "K\(owner)+\(digits(Int(algorithm.rawValue), 3))+\(digits(Int(keyTag), 5))"
    }

    /// The owner text, algorithm and key tag of a base name (`.key`/`.private` suffix
    /// allowed), or nil when it is not of the form `K<owner>+<ddd>+<ddddd>`.
    public static func parseBaseName(_ name: String) -> (owner: String, algorithm: DNSSECAlgorithm, keyTag: UInt16)? {
        var base = Substring(name)
        for suffix in [".key", ".private"] where base.hasSuffix(suffix) { base = base.dropLast(suffix.count) }
        let parts = base.split(separator: "+", omittingEmptySubsequences: false)
        guard parts.count >= 3, base.hasPrefix("K") else { return nil }
        let tagText = parts[parts.count - 1], algText = parts[parts.count - 2]
        guard algText.count == 3, tagText.count == 5, algText.allSatisfy(\.isASCIIDigit), tagText.allSatisfy(\.isASCIIDigit),
              let algorithm = UInt8(algText), let tag = UInt16(tagText) else { return nil }
        let owner = parts[0..<(parts.count - 2)].joined(separator: "+").dropFirst()
        guard !owner.isEmpty else { return nil }
        return (String(owner), DNSSECAlgorithm(algorithm), tag)
    }

    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// A signing key with the owner and TTL its `.key` file gives it.
    public struct Pair: Sendable {
        public var owner: DomainName
        /// The TTL written in the `.key` file, if any (`dnssec-keygen -L`).
        public var ttl: UInt32?
        public var key: DNSSECSigningKey

        public init(owner: DomainName, ttl: UInt32? = nil, key: DNSSECSigningKey) {
            self.owner = owner
            self.ttl = ttl
            self.key = key
        }

        public var baseName: String { BINDKeyFile.baseName(owner: owner, algorithm: key.algorithm, keyTag: key.keyTag) }

        /// Reads a key from the texts of its two files: the private file gives the key, the
        /// public file its owner, TTL and flags; the public key both derive must be the same.
        public static func parse(publicText: String, publicFile: String, privateText: String, privateFile: String) throws(KeyFileError) -> Pair {
            let publicPart = try Public.parse(publicText, file: publicFile)
            let privatePart = try Private.parse(privateText, file: privateFile)
            guard publicPart.dnskey.algorithm == privatePart.algorithm else {
                throw KeyFileError(.mismatch, file: privateFile, line: 0,
                                   "algorithm \(privatePart.algorithm.rawValue) differs from \(publicFile)'s \(publicPart.dnskey.algorithm.rawValue)")
            }
            guard publicPart.dnskey.protocol == 3 else {
                throw KeyFileError(.badValue, file: publicFile, line: publicPart.line, "DNSKEY protocol is \(publicPart.dnskey.protocol), not 3 (RFC 4034 §2.1.2)")
            }
            let key: DNSSECSigningKey
            do {
                key = try DNSSECSigningKey(algorithm: privatePart.algorithm, flags: publicPart.dnskey.flags, material: privatePart.material)
            } catch {
                throw KeyFileError(.unsupportedKey, file: privateFile, line: 0, "\(error)")
            }
            guard key.publicKeyField == publicPart.dnskey.publicKey else {
                throw KeyFileError(.mismatch, file: privateFile, line: 0, "the private key is not the one whose public key \(publicFile) holds")
            }
            return Pair(owner: publicPart.owner, ttl: publicPart.ttl, key: key)
        }

        /// The `.key` file text, BIND's layout. `created` (seconds since the epoch) adds the
        /// `Created`/`Publish`/`Activate` comments BIND writes.
        public func publicText(created: UInt32? = nil) -> String {
            Public(owner: owner, ttl: ttl, dnskey: key.dnskey).text(created: created)
        }

        /// The `.private` file text, format v1.3. `created` adds BIND's timing fields, all
        /// set to that moment (published and active at once).
        public func privateText(created: UInt32? = nil) -> String {
            Private(algorithm: key.algorithm, material: key.material).text(created: created)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
