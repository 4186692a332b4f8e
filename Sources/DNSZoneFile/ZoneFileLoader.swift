import DNSCore
import Foundation

/// Reads master files from disk; the parser itself stays a pure function of bytes.
public enum ZoneFileLoader {
    /// Reads a whole file.
    public static func read(_ path: String) throws(ZoneFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let why = !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read"
            throw ZoneFileError(.io, file: path, line: 0, column: 0, why)
        }
        return [UInt8](data)
    }

    /// Parses `path`, following `$INCLUDE` only when `allowInclude`.
    public static func parse(file path: String, origin: DomainName?, allowInclude: Bool = false) -> ZoneParseResult {
        let bytes: [UInt8]
        do {
            bytes = try read(path)
        } catch {
            return ZoneParseResult(errors: [error], origin: origin)
        }
        return parser(origin: origin, allowInclude: allowInclude).parse(bytes, fileName: path)
    }

    /// Streams the records of `path` to `body`; returns the errors.
    public static func stream(file path: String, origin: DomainName?, allowInclude: Bool = false,
                              onRecord body: (ResourceRecord) -> Void) -> [ZoneFileError] {
        let bytes: [UInt8]
        do {
            bytes = try read(path)
        } catch {
            return [error]
        }
        return parser(origin: origin, allowInclude: allowInclude).parse(bytes, fileName: path, onRecord: body)
    }

    static func parser(origin: DomainName?, allowInclude: Bool) -> ZoneFileParser {
        guard allowInclude else { return ZoneFileParser(origin: origin) }
        let loader: @Sendable (String) throws -> [UInt8] = { path in try read(path) }
        return ZoneFileParser(origin: origin, includeLoader: loader)
    }
}
