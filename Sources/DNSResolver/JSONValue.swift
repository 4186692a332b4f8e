/// A JSON value for the resolver's reports, serialised by hand (RFC 8259): object keys in
/// sorted order, strings escaped as RFC 8259 §7 requires and no more (no `\/`, non-ASCII
/// kept as UTF-8). Foundation's `JSONSerialization` costs more than the validation itself
/// in a batch of thousands of lookups (dynamic casts of `Any`, collation of the keys).
enum JSONValue: Sendable {
    case string(String)
    case int(Int)
    case array([JSONValue])
    case object([String: JSONValue])

    var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case .string(let string): Self.writeString(string, to: &output)
        case .int(let value): output += String(value)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]?.write(to: &output)
            }
            output += "}"
        }
    }

    /// RFC 8259 §7: quotation mark, reverse solidus and the control characters U+0000 to
    /// U+001F must be escaped; everything else may stand as it is.
    static func writeString(_ string: String, to output: inout String) {
        output += "\""
        var plainStart = string.unicodeScalars.startIndex
        var index = plainStart
        let scalars = string.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String? = switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case "\u{08}": "\\b"
            case "\u{0C}": "\\f"
            default: scalar.value < 0x20 ? "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16) : nil
            }
            if let escape {
                output.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                output += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        output += "\""
    }
}
