/// Service binding (RFC 9460 §2): the layout of both SVCB (type 64) and HTTPS (type 65, see
/// `HTTPS`). SvcPriority 0 is AliasMode, anything else ServiceMode; TargetName `.` means the
/// owner name itself (ServiceMode) or "no service" (AliasMode) (RFC 9460 §2.5).
///
/// Wire form (RFC 9460 §2.2): SvcPriority, an uncompressed TargetName, then SvcParams as
/// key, length, value, keys in strictly increasing order. Anything else is malformed, and so is
/// a registered key whose value is not in its format, or a `mandatory` list naming a key that
/// is absent (RFC 9460 §8). The same rules apply to programmatic construction and to the
/// presentation form, so every value of this type prints and parses back.
public struct SVCB: RDataFormat {
    public static let primaryType = RRType.svcb
    public var priority: UInt16
    public var target: DomainName
    /// In strictly increasing key order.
    public private(set) var params: [SVCParam]

    /// Sorts `params` by key; throws when a key repeats, a value is not in its key's format,
    /// or `mandatory` names an absent key.
    public init(priority: UInt16, target: DomainName, params: [SVCParam] = []) throws(SVCB.ParamsError) {
        self.priority = priority
        self.target = target
        let sorted = params.sorted { $0.key < $1.key }
        if let error = Self.check(sorted, targetLength: target.wire.count) { throw error }
        self.params = sorted
    }

    /// AliasMode (RFC 9460 §2.4.2): the record only names another owner to query.
    public var isAliasMode: Bool { priority == 0 }

    /// The parameter with `key`, if present.
    public subscript(key: SVCParamKey) -> SVCParam? { params.first { $0.key == key } }

    public var mandatoryKeys: [SVCParamKey] { self[.mandatory]?.mandatoryKeys ?? [] }
    public var alpnIDs: [[UInt8]] { self[.alpn]?.alpnIDs ?? [] }
    public var noDefaultALPN: Bool { self[.noDefaultALPN] != nil }
    public var port: UInt16? { self[.port]?.portNumber }
    public var ipv4Hints: [IPv4Address] { self[.ipv4Hint]?.ipv4Addresses ?? [] }
    public var ipv6Hints: [IPv6Address] { self[.ipv6Hint]?.ipv6Addresses ?? [] }
    public var echConfigList: [UInt8]? { self[.ech]?.value }

    /// Why a set of SvcParams is not valid (RFC 9460 §2.2, §8).
    public struct ParamsError: Error, Hashable, Sendable, CustomStringConvertible {
        public enum Code: Hashable, Sendable {
            case duplicateKey
            case malformedValue
            case missingMandatoryKey
            case noDefaultALPNWithoutALPN
            case tooLong
        }

        public var code: Code
        public var key: SVCParamKey
        public var reason: String

        public init(_ code: Code, key: SVCParamKey, _ reason: String) {
            self.code = code
            self.key = key
            self.reason = reason
        }

        public var description: String { reason }
    }

    /// The checks every decoded or built SVCB passes, on params sorted by key: unique keys
    /// (RFC 9460 §2.2), values in their key's format (§7, §8), the RDATA within 65,535
    /// octets, and self-consistency (§2.4.3): every key listed in `mandatory` present (§8),
    /// and `alpn` present with `no-default-alpn` (§7.1.1). BIND 9.18 rejects the same records.
    /// AliasMode records may carry params that clients ignore (§2.4.2); they are checked all
    /// the same.
    static func check(_ params: [SVCParam], targetLength: Int) -> ParamsError? {
        var length = 2 + targetLength
        for (index, param) in params.enumerated() {
            if index > 0, params[index - 1].key == param.key {
                return ParamsError(.duplicateKey, key: param.key, "SvcParamKey \(param.key) appears more than once (RFC 9460 §2.2)")
            }
            if let reason = param.formatError() { return ParamsError(.malformedValue, key: param.key, reason) }
            length += 4 + param.value.count
        }
        if length > Int(UInt16.max) {
            return ParamsError(.tooLong, key: params.last?.key ?? .mandatory, "SVCB RDATA of \(length) octets exceeds 65535")
        }
        for listed in params.first(where: { $0.key == .mandatory })?.mandatoryKeys ?? [] {
            if !params.contains(where: { $0.key == listed }) {
                return ParamsError(.missingMandatoryKey, key: listed, "mandatory lists \(listed), which the record does not have (RFC 9460 §8)")
            }
        }
        if params.contains(where: { $0.key == .noDefaultALPN }), !params.contains(where: { $0.key == .alpn }) {
            return ParamsError(.noDefaultALPNWithoutALPN, key: .noDefaultALPN, "no-default-alpn needs alpn too (RFC 9460 §7.1.1)")
        }
        return nil
    }

    // MARK: - Wire

    /// A compressed TargetName is malformed (RFC 9460 §2.2 "uncompressed", RFC 3597 §4), as
    /// are keys out of strictly increasing order.
    public init(wire reader: inout WireReader) throws(DNSWireError) {
        let start = reader.offset
        priority = try reader.readUInt16()
        let nameStart = reader.offset
        target = try reader.readName()
        // Without a pointer the name occupies exactly its wire length; a pointer makes the two
        // differ (the in-place part plus 2 octets never equals it plus a 1- or 3+-octet suffix).
        guard reader.offset - nameStart == target.wire.count else {
            throw DNSWireError(.badRDATA, at: nameStart, "SVCB TargetName must not be compressed (RFC 9460 §2.2)")
        }
        var params: [SVCParam] = []
        while !reader.isAtEnd {
            let keyOffset = reader.offset
            let key = SVCParamKey(try reader.readUInt16())
            let length = Int(try reader.readUInt16())
            let value = try reader.readBytes(length)
            if let previous = params.last, previous.key >= key {
                throw DNSWireError(.badRDATA, at: keyOffset, "SvcParamKey \(key) after \(previous.key): keys must be strictly increasing (RFC 9460 §2.2)")
            }
            params.append(SVCParam(key: key, value: value))
        }
        if let error = Self.check(params, targetLength: target.wire.count) {
            throw DNSWireError(.badRDATA, at: start, error.reason)
        }
        self.params = params
    }

    public func encode(to writer: inout WireWriter) {
        writer.write(priority)
        writer.writeRDataName(target)
        for param in params {
            writer.write(param.key.rawValue)
            writer.write(UInt16(truncatingIfNeeded: param.value.count))
            writer.write(bytes: param.value)
        }
    }

    // MARK: - Presentation

    /// `SvcPriority TargetName SvcParam…` (RFC 9460 §2.1). Each SvcParam is `key` or
    /// `key=value`; the value may be quoted (`alpn="h2,h3"`, which the tokenizer hands over as
    /// `alpn=` followed by a quoted token). Keys may come in any order; they are sorted.
    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        priority = try scanner.integer("SvcPriority")
        target = try scanner.name("TargetName")
        var params: [SVCParam] = []
        var tokens: [SVCParamKey: PresentationToken] = [:]
        while !scanner.isAtEnd {
            let token = try scanner.next("SvcParam")
            guard !token.isQuoted else {
                throw scanner.error(.badValue, at: token, "a SvcParam must start with an unquoted key, not \"\(token.string)\"")
            }
            let text = token.text
            let equals = text.firstIndex(of: UInt8(ascii: "="))
            let keyText = text[text.startIndex..<(equals ?? text.endIndex)]
            guard let key = SVCParamKey(presentation: keyText) else {
                throw scanner.error(.badValue, at: token, "\"\(String(decoding: keyText, as: UTF8.self))\" is not a SvcParamKey (RFC 9460 §2.1)")
            }
            guard tokens[key] == nil else {
                throw scanner.error(.badValue, at: token, "SvcParamKey \(key) appears more than once (RFC 9460 §2.1)")
            }
            tokens[key] = token
            var valueText: [UInt8] = []
            if let equals {
                let raw = text[(equals + 1)...]
                let valueToken: PresentationToken
                if raw.isEmpty, !scanner.isAtEnd, scanner.tokens[scanner.index].isQuoted {
                    valueToken = try scanner.next("SvcParamValue")
                } else if raw.first == UInt8(ascii: "\"") {
                    guard let inner = Self.unquote(raw) else {
                        throw scanner.error(.unbalancedQuote, at: token, "unterminated quoted value of \(key)")
                    }
                    valueToken = PresentationToken(text: inner, isQuoted: true, line: token.line, column: token.column + (equals - text.startIndex) + 1)
                } else {
                    valueToken = PresentationToken(text: raw, isQuoted: false, line: token.line, column: token.column + (equals - text.startIndex) + 1)
                }
                valueText = try scanner.decodeEscapes(valueToken, what: "SvcParamValue of \(key)")
            }
            do {
                params.append(SVCParam(key: key, value: try SVCParam.parseValue(key: key, valueText)))
            } catch {
                throw scanner.error(.badValue, at: token, error.reason)
            }
        }
        params.sort { $0.key < $1.key }
        if let error = Self.check(params, targetLength: target.wire.count) {
            let at = tokens[error.code == .missingMandatoryKey ? .mandatory : error.key]
            throw at.map { scanner.error(.badValue, at: $0, error.reason) } ?? scanner.error(.badValue, error.reason)
        }
        self.params = params
    }

    /// The inside of `"…"` when `raw` is one quoted string (a tokenizer that keeps quotes
    /// within a token); nil when the closing quote is missing or escaped.
    static func unquote(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard raw.count >= 2, raw.last == UInt8(ascii: "\"") else { return nil }
        let inner = raw.dropFirst().dropLast()
        var backslashes = 0
        for byte in inner.reversed() {
            guard byte == UInt8(ascii: "\\") else { break }
            backslashes += 1
        }
        return backslashes % 2 == 0 ? inner : nil
    }

    /// Params in wire (key) order, as ldns prints them.
    public func appendPresentation(to out: inout String) {
        out.append(String(priority))
        out.append(" ")
        target.appendPresentation(to: &out)
        for param in params {
            out.append(" ")
            param.appendPresentation(to: &out)
        }
    }
}
