import DNSCore

extension BINDKeyFile {
    /// A `.private` file: `Field: value` lines, first `Private-key-format: v1.x` and
    /// `Algorithm: <number> (<mnemonic>)`, then the key: `PrivateKey` (base64 of the ECDSA
    /// scalar, RFC 6605 §6, or of the Ed25519 seed, RFC 8080 §6) or, for RSA, `Modulus`,
    /// `PublicExponent`, `PrivateExponent`, `Prime1`, `Prime2`, `Exponent1`, `Exponent2`,
    /// `Coefficient` (the RFC 8017 §A.1.2 numbers). Other fields (BIND's `Created`, `Publish`,
    /// `Activate`, … times) are read past: key timing is not this type's business.
    public struct Private: Hashable, Sendable {
        public var algorithm: DNSSECAlgorithm
        public var material: DNSSECSigningKey.PrivateMaterial

        public init(algorithm: DNSSECAlgorithm, material: DNSSECSigningKey.PrivateMaterial) {
            self.algorithm = algorithm
            self.material = material
        }

        static let rsaFields = ["Modulus", "PublicExponent", "PrivateExponent", "Prime1", "Prime2", "Exponent1", "Exponent2", "Coefficient"]

        /// The PKCS#8 prefix ldns 1.7 wrote before an Ed25519 seed (RFC 8410 §7), which we
        /// take off so those files load too.
        static let ed25519PKCS8Prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

        public static func parse(_ text: String, file: String) throws(KeyFileError) -> Private {
            var fields: [String: (value: Substring, line: Int)] = [:]
            for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingBlanks
                if line.isEmpty || line.hasPrefix(";") { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    throw KeyFileError(.syntax, file: file, line: index + 1, "\"\(line)\" is not \"Field: value\"")
                }
                let name = String(line[..<colon].trimmingBlanks)
                guard fields[name] == nil else {
                    throw KeyFileError(.duplicateField, file: file, line: index + 1, "\(name) given twice")
                }
                fields[name] = (line[line.index(after: colon)...].trimmingBlanks, index + 1)
            }
            func field(_ name: String) throws(KeyFileError) -> (value: Substring, line: Int) {
                guard let entry = fields[name] else { throw KeyFileError(.missingField, file: file, line: 0, "no \(name) field") }
                return entry
            }
            func base64(_ name: String) throws(KeyFileError) -> [UInt8] {
                let entry = try field(name)
                let compact = entry.value.utf8.filter { $0 != 0x20 && $0 != 0x09 }
                guard !compact.isEmpty, let bytes = Base64.decode(compact) else {
                    throw KeyFileError(.badValue, file: file, line: entry.line, "\(name) is not base64")
                }
                return bytes
            }

            let format = try field("Private-key-format")
            guard format.value.hasPrefix("v1.") else {
                throw KeyFileError(.unsupportedFormat, file: file, line: format.line, "Private-key-format \(format.value) is not v1.x")
            }
            let algorithmEntry = try field("Algorithm")
            let number = algorithmEntry.value.prefix { $0.isASCIIDigit }
            guard !number.isEmpty, let value = UInt8(number) else {
                throw KeyFileError(.badValue, file: file, line: algorithmEntry.line, "Algorithm \"\(algorithmEntry.value)\" does not start with a number from 0 to 255")
            }
            let algorithm = DNSSECAlgorithm(value)
            switch algorithm {
            case .rsaSHA256, .rsaSHA512:
                var numbers: [[UInt8]] = []
                for name in rsaFields { numbers.append(try base64(name)) }
                return Private(algorithm: algorithm, material: .rsa(RSAPrivateNumbers(
                    modulus: numbers[0], publicExponent: numbers[1], privateExponent: numbers[2], prime1: numbers[3],
                    prime2: numbers[4], exponent1: numbers[5], exponent2: numbers[6], coefficient: numbers[7])))
            case .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519:
                var key = try base64("PrivateKey")
                if algorithm == .ed25519, key.count == 48, key.starts(with: ed25519PKCS8Prefix) { key.removeFirst(16) }
                return Private(algorithm: algorithm, material: .raw(key))
            default:
                throw KeyFileError(.unsupportedKey, file: file, line: algorithmEntry.line,
                                   "algorithm \(algorithm.rawValue) (\(algorithm)) is not one we sign with (8, 10, 13, 14, 15)")
            }
        }

        /// Format v1.3 as BIND 9.18 writes it. `created` adds `Created`, `Publish` and
        /// `Activate`, all that moment.
        public func text(created: UInt32? = nil) -> String {
            var out = "Private-key-format: v1.3\nAlgorithm: \(algorithm.rawValue) (\(algorithm))\n"
            switch material {
            case .rsa(let numbers):
                let values = [numbers.modulus, numbers.publicExponent, numbers.privateExponent, numbers.prime1,
                              numbers.prime2, numbers.exponent1, numbers.exponent2, numbers.coefficient]
                for (name, value) in zip(Self.rsaFields, values) { out += "\(name): \(Base64.encode(value))\n" }
            case .raw(let key):
                out += "PrivateKey: \(Base64.encode(key))\n"
            }
            if let created {
                let time = DNSSECTime.format(created)
                out += "Created: \(time)\nPublish: \(time)\nActivate: \(time)\n"
            }
            return out
        }
    }
}

extension Substring {
    var trimmingBlanks: Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return self[first...last]
    }
}
