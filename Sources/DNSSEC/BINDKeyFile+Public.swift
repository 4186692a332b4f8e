import DNSCore

extension BINDKeyFile {
    /// A `.key` file: one DNSKEY record in master-file form (RFC 1035 §5.1; RFC 4034 §2.2),
    /// `owner [TTL] [class] DNSKEY flags protocol algorithm key`, TTL and class in either order,
    /// the key's base64 possibly split by blanks or parentheses over several lines. Comments
    /// (`;` to the end of the line) are ignored: BIND writes its key role and times there,
    /// ldns-keygen a `;{id = …}` note after the record.
    public struct Public: Hashable, Sendable {
        public var owner: DomainName
        public var ttl: UInt32?
        public var rrClass: RRClass
        public var dnskey: DNSKEY
        /// The line the record starts on (0 for a value not read from text).
        public var line: Int

        public init(owner: DomainName, ttl: UInt32? = nil, rrClass: RRClass = .internet, dnskey: DNSKEY, line: Int = 0) {
            self.owner = owner
            self.ttl = ttl
            self.rrClass = rrClass
            self.dnskey = dnskey
            self.line = line
        }

        public static func parse(_ text: String, file: String) throws(KeyFileError) -> Public {
            // Find the one record: the first line with text outside comments, and the lines
            // its parentheses carry on to.
            var recordText = ""
            var startLine = 0
            var depth = 0
            var done = false
            for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let content = stripComment(rawLine)
                let isBlank = content.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
                if isBlank { continue }
                if done {
                    throw KeyFileError(.syntax, file: file, line: index + 1, "more than one record in a key file")
                }
                if startLine == 0 { startLine = index + 1 }
                for character in content {
                    switch character {
                    case "(": depth += 1; recordText.append(" ")
                    case ")":
                        guard depth > 0 else { throw KeyFileError(.syntax, file: file, line: index + 1, "\")\" without \"(\"") }
                        depth -= 1; recordText.append(" ")
                    default: recordText.append(character)
                    }
                }
                recordText.append(" ")
                if depth == 0 { done = true }
            }
            guard startLine > 0 else { throw KeyFileError(.missingField, file: file, line: 0, "no DNSKEY record") }
            guard depth == 0 else { throw KeyFileError(.syntax, file: file, line: startLine, "\"(\" not closed") }
            do {
                return try parseRecord(recordText, line: startLine)
            } catch {
                throw KeyFileError(error.code == .missingField ? .missingField : .badValue, file: file, line: startLine, error.reason)
            }
        }

        private static func parseRecord(_ text: String, line: Int) throws(PresentationError) -> Public {
            var scanner = try PresentationScanner(text: text, origin: nil)
            let owner = try scanner.name("owner name")
            var ttl: UInt32?
            var rrClass: RRClass?
            while true {
                let token = try scanner.next("record type")
                let word = token.string
                if ttl == nil, let value = PresentationScanner.parseDuration(token.text) {
                    ttl = value
                } else if rrClass == nil, let value = RRClass(mnemonic: word) {
                    rrClass = value
                } else if RRType(mnemonic: word) == .dnskey {
                    break
                } else {
                    throw scanner.error(.badValue, at: token, "\"\(word)\" where DNSKEY was expected")
                }
            }
            let dnskey = try DNSKEY(presentation: &scanner)
            try scanner.finish()
            return Public(owner: owner, ttl: ttl, rrClass: rrClass ?? .internet, dnskey: dnskey, line: line)
        }

        /// The line without its comment (`;` outside double quotes to the end).
        static func stripComment(_ line: Substring) -> Substring {
            var quoted = false
            var escaped = false
            for index in line.indices {
                let character = line[index]
                if escaped { escaped = false; continue }
                switch character {
                case "\\": escaped = true
                case "\"": quoted.toggle()
                case ";" where !quoted: return line[..<index]
                default: break
                }
            }
            return line
        }

        /// BIND's layout: a comment naming the role and key tag, optional timing comments,
        /// then `owner [TTL] IN DNSKEY …` on one line.
        public func text(created: UInt32? = nil) -> String {
            let role = dnskey.isSecureEntryPoint ? "key-signing" : "zone-signing"
            var out = "; This is a \(role) key, keyid \(dnskey.keyTag), for \(owner)\n"
            if let created {
                let time = DNSSECTime.format(created)
                out += "; Created: \(time)\n; Publish: \(time)\n; Activate: \(time)\n"
            }
            out += owner.description
            if let ttl { out += " \(ttl)" }
            out += " \(rrClass) DNSKEY "
            dnskey.appendPresentation(to: &out)
            out += "\n"
            return out
        }
    }
}
