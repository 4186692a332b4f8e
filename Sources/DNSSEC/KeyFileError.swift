/// Why a BIND key file (`K….key`, `K….private`) could not be read: the file and the 1-based
/// line (0 when the problem is the file as a whole, e.g. a missing field).
public struct KeyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// Text that is not `Field: value` (private file) or not one DNSKEY record (public file).
        case syntax
        /// A required field or the record is absent.
        case missingField
        /// A field given twice.
        case duplicateField
        /// A value that does not parse (bad base64, bad number, bad name, bad RDATA).
        case badValue
        /// `Private-key-format` other than v1.x.
        case unsupportedFormat
        /// An algorithm we cannot sign with, or key material that is not a key of it.
        case unsupportedKey
        /// The public and private files do not describe the same key.
        case mismatch
    }

    public var code: Code
    public var file: String
    public var line: Int
    public var reason: String

    public init(_ code: Code, file: String, line: Int, _ reason: String) {
        self.code = code
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line == 0 ? "\(file): \(reason)" : "\(file):\(line): \(reason)" }
}
