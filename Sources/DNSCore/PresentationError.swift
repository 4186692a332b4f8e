/// Why presentation-form text could not be read; `line` and `column` (1-based) locate the
/// offending token in its source, and the zone-file parser adds the file name.
public struct PresentationError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case missingField
        case badNumber
        case badName
        case badValue
        case badBase64
        case badHex
        case badString
        case trailingData
        case unknownType
        case unbalancedQuote
    }

    public var code: Code
    public var line: Int
    public var column: Int
    public var reason: String

    public init(_ code: Code, line: Int, column: Int, _ reason: String) {
        self.code = code
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(line):\(column): \(reason)" }
}
