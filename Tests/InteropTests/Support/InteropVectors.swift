import PeerTestSupport
import Foundation

/// Files in `Tests/InteropTests/Vectors/`, found from this source file's path (the target
/// declares no resources, and these tests only run from a checkout).
enum InteropVectors {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support/
        .deletingLastPathComponent()  // InteropTests/
        .appendingPathComponent("Vectors", isDirectory: true)

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func text(_ name: String) throws -> String { try String(contentsOf: url(name), encoding: .utf8) }
}
