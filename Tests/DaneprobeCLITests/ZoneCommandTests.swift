import Foundation
import PeerTestSupport
import Testing

/// The `daneprobe` executable, run as a user would.
struct CLI {
    static var binary: URL {
        // Test bundles sit beside the products they test in .build/<config>/.
        var url = Bundle.main.bundleURL
        while url.pathComponents.count > 1, !FileManager.default.fileExists(atPath: url.appendingPathComponent("daneprobe").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("daneprobe")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `daneprobe` with `arguments` to its exit, through `ExternalTool` (its output
    /// goes through files: a child that fills one pipe while the other is read cannot hang it).
    static func run(_ arguments: [String]) throws -> Result {
        let result = try ExternalTool(name: "daneprobe", path: binary.path).run(arguments)
        return Result(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
    }

    /// Runs `body` with a file holding `contents`, removed afterwards.
    static func withTemporaryFile<T>(_ contents: String, name: String = "test.zone", _ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("daneprobe-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return try body(url.path)
    }
}

/// A folder for one test's files, removed when the test's suite instance goes away (Swift
/// Testing makes one instance per test).
final class ScratchFolder: Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("daneprobe-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `contents` to `name` in the folder; returns its path.
    func file(_ contents: String, name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

@Suite struct ZoneCommandTests {
    @Test func checkValidZoneExitsZero() throws {
        try CLI.withTemporaryFile("$ORIGIN example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n") { path in
            let result = try CLI.run(["zone", "check", path])
            #expect(result.status == 0)
            #expect(result.stdout.contains("3 records"))
            #expect(result.stderr.isEmpty)
        }
    }

    @Test func checkListsEveryErrorLikeACompiler() throws {
        try CLI.withTemporaryFile("$TTL 60\n@ SOA ns hm 1 2 3 4 5\nbad A 1.2.3\nbad2 MX x y\n") { path in
            let result = try CLI.run(["zone", "check", path, "--origin", "example"])
            #expect(result.status == 1)
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("\(path):3:7: "))
            #expect(lines[1].hasPrefix("\(path):4:9: "))
        }
    }

    /// 3,000 bad records: every one listed (180 KB on standard error, more than a pipe holds
    /// while nobody reads it), the last one last, and the run ends.
    @Test func checkListsThousandsOfErrors() throws {
        let zone = "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n" + (0..<3000).map { "bad\($0) A 999.1.1.1\n" }.joined()
        try CLI.withTemporaryFile(zone) { path in
            let result = try CLI.run(["zone", "check", path, "--origin", "example"])
            #expect(result.status == 1)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count >= 3000)
            #expect(result.stderr.utf8.count > 65_536)
            #expect(lines.contains { $0.hasPrefix("\(path):3002:") })
        }
    }

    @Test func checkMissingFileIsAClearError() throws {
        let result = try CLI.run(["zone", "check", "/nonexistent/zone.db"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/zone.db"))
    }

    @Test func badOriginIsAUsageError() throws {
        try CLI.withTemporaryFile("x 60 A 192.0.2.1\n") { path in
            let result = try CLI.run(["zone", "check", path, "--origin", "a..b"])
            #expect(result.status == 64)
        }
    }

    @Test func printWritesOneAbsoluteRecordPerLine() throws {
        try CLI.withTemporaryFile("$ORIGIN example.\n$TTL 60\n@ SOA ns hm ( 1 2\n 3 4 5 )\nwww A 192.0.2.1\n") { path in
            let result = try CLI.run(["zone", "print", path])
            #expect(result.status == 0)
            #expect(result.stdout == "example.\t60\tIN\tSOA\tns.example. hm.example. 1 2 3 4 5\nwww.example.\t60\tIN\tA\t192.0.2.1\n")
        }
    }

    @Test func versionAndHelp() throws {
        #expect(try CLI.run(["--version"]).status == 0)
        let help = try CLI.run(["zone", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("check"))
        #expect(help.stdout.contains("print"))
    }
}
