import DNSCore

/// A problem in a master file, located like a compiler diagnostic: `FILE:LINE:COL: reason`.
public struct ZoneFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case io
        case syntax
        case badOwner
        case badTTL
        case badClass
        case unknownType
        case badRDATA
        case badDirective
        case includeNotAllowed
        case includeLoop
        case missingOrigin
        case missingTTL
    }

    public var code: Code
    public var file: String
    public var line: Int
    public var column: Int
    public var reason: String

    public init(_ code: Code, file: String, line: Int, column: Int, _ reason: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `FILE:LINE:COL: reason`, or `FILE: reason` for errors about the whole file (I/O).
    public var description: String { line == 0 ? "\(file): \(reason)" : "\(file):\(line):\(column): \(reason)" }
}
