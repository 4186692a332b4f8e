/// One SvcParam of an SVCB or HTTPS record (RFC 9460 §2.2): a key and its value in wire form.
/// The value is kept as octets so unknown keys round-trip; the typed accessors read the
/// registered keys' formats (RFC 9460 §7, §8; RFC 9461 §5; RFC 9540 §4).
public struct SVCParam: Hashable, Sendable {
    public let key: SVCParamKey
    /// The SvcParamValue in wire form (at most 65,535 octets).
    public let value: [UInt8]

    /// A parameter with a raw wire value; `SVCB` checks the format of registered keys.
    public init(key: SVCParamKey, value: [UInt8] = []) {
        self.key = key
        self.value = value
    }

    // MARK: - Registered keys

    /// Keys a client must support to use the record, written in increasing order (RFC 9460 §8).
    public static func mandatory(_ keys: [SVCParamKey]) -> SVCParam {
        SVCParam(key: .mandatory, value: Set(keys).sorted().flatMap { [UInt8($0.rawValue >> 8), UInt8($0.rawValue & 0xFF)] })
    }

    /// ALPN protocol IDs, each 1–255 octets (RFC 9460 §7.1.1).
    public static func alpn(_ ids: [[UInt8]]) -> SVCParam {
        SVCParam(key: .alpn, value: ids.flatMap { [UInt8(truncatingIfNeeded: $0.count)] + $0 })
    }

    public static func alpn(_ ids: [String]) -> SVCParam { alpn(ids.map { Array($0.utf8) }) }

    /// No value (RFC 9460 §7.1.1).
    public static let noDefaultALPN = SVCParam(key: .noDefaultALPN)

    public static func port(_ port: UInt16) -> SVCParam {
        SVCParam(key: .port, value: [UInt8(port >> 8), UInt8(port & 0xFF)])
    }

    public static func ipv4Hint(_ addresses: [IPv4Address]) -> SVCParam {
        SVCParam(key: .ipv4Hint, value: addresses.flatMap(\.octets))
    }

    public static func ipv6Hint(_ addresses: [IPv6Address]) -> SVCParam {
        SVCParam(key: .ipv6Hint, value: addresses.flatMap(\.bytes))
    }

    /// An ECHConfigList, opaque here.
    public static func ech(_ echConfigList: [UInt8]) -> SVCParam { SVCParam(key: .ech, value: echConfigList) }

    /// A relative URI template for DNS over HTTPS (RFC 9461 §5).
    public static func dohPath(_ template: String) -> SVCParam { SVCParam(key: .dohPath, value: Array(template.utf8)) }

    /// No value (RFC 9540 §4).
    public static let ohttp = SVCParam(key: .ohttp)

    /// The keys of a well-formed `mandatory` value.
    public var mandatoryKeys: [SVCParamKey]? {
        guard key == .mandatory, let words = Self.uint16s(value) else { return nil }
        return words.map(SVCParamKey.init(rawValue:))
    }

    /// The IDs of a well-formed `alpn` value.
    public var alpnIDs: [[UInt8]]? {
        guard key == .alpn else { return nil }
        return Self.lengthPrefixedItems(value)
    }

    public var portNumber: UInt16? {
        guard key == .port, value.count == 2 else { return nil }
        return UInt16(value[0]) << 8 | UInt16(value[1])
    }

    public var ipv4Addresses: [IPv4Address]? {
        guard key == .ipv4Hint, !value.isEmpty, value.count % 4 == 0 else { return nil }
        return stride(from: 0, to: value.count, by: 4).map { i in
            IPv4Address(value[i], value[i + 1], value[i + 2], value[i + 3])
        }
    }

    public var ipv6Addresses: [IPv6Address]? {
        guard key == .ipv6Hint, !value.isEmpty, value.count % 16 == 0 else { return nil }
        return stride(from: 0, to: value.count, by: 16).compactMap { IPv6Address(bytes: Array(value[$0..<($0 + 16)])) }
    }

    // MARK: - Format rules

    /// Why the value does not have its key's wire format (RFC 9460 §2.2: such an RR is
    /// malformed), or nil when it does. Unknown keys, `ech` and `dohpath` take any octets.
    func formatError() -> String? {
        if value.count > Int(UInt16.max) { return "\(key) value exceeds 65535 octets" }
        switch key {
        case .mandatory:
            // RFC 9460 §8: one or more keys, strictly increasing, never "mandatory" itself.
            guard let words = Self.uint16s(value), !words.isEmpty else { return "mandatory must list one or more keys" }
            if words.contains(SVCParamKey.mandatory.rawValue) { return "mandatory must not list itself (RFC 9460 §8)" }
            for i in words.indices.dropFirst() where words[i - 1] >= words[i] {
                return "mandatory keys must be strictly increasing, without repeats (RFC 9460 §8)"
            }
            return nil
        case .alpn:
            // RFC 9460 §7.1.1: one or more length-prefixed, non-empty IDs filling the value.
            guard let items = Self.lengthPrefixedItems(value), !items.isEmpty else {
                return "alpn must hold one or more length-prefixed protocol IDs (RFC 9460 §7.1.1)"
            }
            return nil
        case .noDefaultALPN, .ohttp:
            return value.isEmpty ? nil : "\(key) takes no value"
        case .port:
            return value.count == 2 ? nil : "port must be 2 octets (RFC 9460 §7.2)"
        case .ipv4Hint:
            return !value.isEmpty && value.count % 4 == 0 ? nil : "ipv4hint must hold one or more 4-octet addresses (RFC 9460 §7.3)"
        case .ipv6Hint:
            return !value.isEmpty && value.count % 16 == 0 ? nil : "ipv6hint must hold one or more 16-octet addresses (RFC 9460 §7.3)"
        default:
            return nil
        }
    }

    static func uint16s(_ bytes: [UInt8]) -> [UInt16]? {
        guard bytes.count % 2 == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }

    /// Length-prefixed non-empty items exactly filling `bytes`; nil otherwise.
    static func lengthPrefixedItems(_ bytes: [UInt8]) -> [[UInt8]]? {
        var items: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            let length = Int(bytes[i])
            guard length > 0, i + 1 + length <= bytes.count else { return nil }
            items.append(Array(bytes[(i + 1)...(i + length)]))
            i += 1 + length
        }
        return items
    }

    // MARK: - Presentation

    /// `key` alone for an empty value, else `key=value` in the key's presentation format
    /// (RFC 9460 §2.1, §7, §8), unquoted unless the value needs quotes, as ldns prints.
    public func appendPresentation(to out: inout String) {
        out.append(key.description)
        guard !value.isEmpty else { return }
        out.append("=")
        switch key {
        case .mandatory:
            if let keys = mandatoryKeys {
                out.append(keys.map(\.description).joined(separator: ","))
                return
            }
        case .alpn:
            if let ids = alpnIDs {
                // Value-list escaping first (RFC 9460 Appendix A.1), then character-string
                // escaping of the result: "f\oo,bar" is printed f\\\\oo\\,bar.
                var list: [UInt8] = []
                for (index, id) in ids.enumerated() {
                    if index > 0 { list.append(UInt8(ascii: ",")) }
                    for byte in id {
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\\") { list.append(UInt8(ascii: "\\")) }
                        list.append(byte)
                    }
                }
                CharacterString.appendValue(list, to: &out)
                return
            }
        case .port:
            if let port = portNumber {
                out.append(String(port))
                return
            }
        case .ipv4Hint:
            if let addresses = ipv4Addresses {
                out.append(addresses.map(\.description).joined(separator: ","))
                return
            }
        case .ipv6Hint:
            if let addresses = ipv6Addresses {
                out.append(addresses.map(\.description).joined(separator: ","))
                return
            }
        case .ech:
            Base64.append(value, to: &out)
            return
        default:
            break
        }
        CharacterString.appendValue(value, to: &out)
    }

    public var presentation: String {
        var out = ""
        appendPresentation(to: &out)
        return out
    }

    /// Builds the wire value of `key` from its presentation value, already character-string
    /// decoded (RFC 9460 Appendix A); throws the reason when it is not valid for the key.
    static func parseValue(key: SVCParamKey, _ text: [UInt8]) throws(SVCParamTextError) -> [UInt8] {
        switch key {
        case .mandatory:
            let items = try valueList(text, key: key)
            var keys: [SVCParamKey] = []
            for item in items {
                guard let listed = SVCParamKey(presentation: item) else {
                    throw SVCParamTextError("mandatory lists \"\(String(decoding: item, as: UTF8.self))\", not a SvcParamKey")
                }
                guard listed != .mandatory else { throw SVCParamTextError("mandatory must not list itself (RFC 9460 §8)") }
                guard !keys.contains(listed) else { throw SVCParamTextError("mandatory lists \(listed) twice (RFC 9460 §8)") }
                keys.append(listed)
            }
            return mandatory(keys).value
        case .alpn:
            let items = try valueList(text, key: key)
            for item in items where item.count > 255 {
                throw SVCParamTextError("alpn ID of \(item.count) octets exceeds 255")
            }
            return alpn(items).value
        case .noDefaultALPN, .ohttp:
            guard text.isEmpty else { throw SVCParamTextError("\(key) takes no value") }
            return []
        case .port:
            guard let port = PresentationScanner.decimal(text[...], as: UInt16.self) else {
                throw SVCParamTextError("port \"\(String(decoding: text, as: UTF8.self))\" is not a number from 0 to 65535")
            }
            return SVCParam.port(port).value
        case .ipv4Hint:
            var addresses: [IPv4Address] = []
            for item in try valueList(text, key: key) {
                guard let address = IPv4Address(text: item) else {
                    throw SVCParamTextError("ipv4hint \"\(String(decoding: item, as: UTF8.self))\" is not an IPv4 address")
                }
                addresses.append(address)
            }
            return ipv4Hint(addresses).value
        case .ipv6Hint:
            var addresses: [IPv6Address] = []
            for item in try valueList(text, key: key) {
                guard let address = IPv6Address(text: String(decoding: item, as: UTF8.self)) else {
                    throw SVCParamTextError("ipv6hint \"\(String(decoding: item, as: UTF8.self))\" is not an IPv6 address")
                }
                addresses.append(address)
            }
            return ipv6Hint(addresses).value
        case .ech:
            guard let bytes = Base64.decode(text) else { throw SVCParamTextError("ech is not valid base64") }
            return bytes
        default:
            return text
        }
    }

    /// A comma-separated list (RFC 9460 Appendix A.1): items split at unescaped commas, `\,`
    /// and `\\` decoded; at least one item, none empty.
    static func valueList(_ text: [UInt8], key: SVCParamKey) throws(SVCParamTextError) -> [[UInt8]] {
        guard !text.isEmpty else { throw SVCParamTextError("\(key) needs a value (RFC 9460 Appendix A.1)") }
        var items: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < text.count {
            let byte = text[i]
            if byte == UInt8(ascii: ",") {
                guard !current.isEmpty else { throw SVCParamTextError("\(key) has an empty list item") }
                items.append(current)
                current = []
            } else if byte == UInt8(ascii: "\\") {
                guard i + 1 < text.count, text[i + 1] == UInt8(ascii: ",") || text[i + 1] == UInt8(ascii: "\\") else {
                    throw SVCParamTextError("\(key) has a backslash not followed by \",\" or \"\\\" (RFC 9460 Appendix A.1)")
                }
                current.append(text[i + 1])
                i += 1
            } else {
                current.append(byte)
            }
            i += 1
        }
        guard !current.isEmpty else { throw SVCParamTextError("\(key) has an empty list item") }
        items.append(current)
        return items
    }
}

/// Why a SvcParam's presentation value is not valid for its key; `SVCB` turns it into a
/// located `PresentationError`.
struct SVCParamTextError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
