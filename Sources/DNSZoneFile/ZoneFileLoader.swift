import DNSCore
import Foundation

/// Reads master files from disk; the parser itself stays a pure function of bytes.
public enum ZoneFileLoader {
    /// Reads a whole file straight into one buffer (no intermediate `Data` copy, so a zone
    /// costs its size once in memory).
    public static func read(_ path: String) throws(ZoneFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ZoneFileError(.io, file: path, line: 0, column: 0, String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ZoneFileError(.io, file: path, line: 0, column: 0, String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ZoneFileError(.io, file: path, line: 0, column: 0, "is a directory") }
        // Read up to the size fstat reported (plus one octet to notice growth) in place.
        let expected = Int(info.st_size)
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
            count = 0
            while count < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                if n < 0, errno == EINTR { continue }
                if n < 0 { failure = errno; return }
                if n == 0 { return }
                count += n
            }
        }
        // A file that grew while being read (or a pipe): read the rest in chunks.
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while failure == 0, bytes.count == expected + 1 {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { failure = errno; break }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        if failure != 0 { throw ZoneFileError(.io, file: path, line: 0, column: 0, String(cString: strerror(failure))) }
        return bytes
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
