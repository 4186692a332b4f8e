import Foundation

/// A fresh folder under the system's temporary directory, removed by `remove()`.
package struct TemporaryDirectory: Sendable {
    package let url: URL

    package init(prefix: String) throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("daneprobe-\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    package var path: String { url.path }

    package func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    package func write(_ text: String, to name: String) throws -> URL {
        let target = file(name)
        try Data(text.utf8).write(to: target)
        return target
    }

    /// Writes `text` to `name` and dates the file `modified` (fixed, never the clock): Postfix
    /// rereads a main.cf whose modification time is the current second, in 0.3 s steps, until it
    /// is older (seen with 3.7: 1.8 s per command), so its config files are backdated.
    package func write(_ text: String, to name: String, modified: Date) throws -> URL {
        let target = try write(text, to: name)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: target.path)
        return target
    }

    package func remove() { try? FileManager.default.removeItem(at: url) }
}
