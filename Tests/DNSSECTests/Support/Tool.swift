import Foundation

/// An installed command-line tool (ldns, BIND), run in a scratch folder with its output
/// captured in files (no pipe can fill up and stall it).
struct Tool {
    let name: String
    let path: String

    struct Run: CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var stdout: String
        var stderr: String

        var description: String { "\(arguments.joined(separator: " ")) → exit \(status)\n\(stdout)\(stderr)" }
    }

    /// The tool on `PATH`, or nil.
    static func find(_ name: String) -> Tool? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return Tool(name: name, path: candidate) }
        }
        return nil
    }

    static func installed(_ names: String...) -> Bool { names.allSatisfy { find($0) != nil } }

    /// Runs the tool with `arguments` in `directory` and waits for it to exit.
    func run(_ arguments: [String], in directory: URL) throws -> Run {
        let outURL = directory.appendingPathComponent(".\(name)-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent(".\(name)-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(arguments: [name] + arguments, status: process.terminationStatus,
                   stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Runs the tool and returns its standard output, failing the test on a non-zero exit.
    func output(_ arguments: [String], in directory: URL) throws -> String {
        let result = try run(arguments, in: directory)
        guard result.status == 0 else { throw Failure(run: result) }
        return result.stdout
    }

    struct Failure: Error, CustomStringConvertible {
        var run: Run
        var description: String { run.description }
    }
}

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct ScratchFolder {
    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("daneprobe-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ text: String, to name: String) throws {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
