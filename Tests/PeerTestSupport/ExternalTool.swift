import Foundation

/// A command-line program of a real peer (ldns, BIND, NSD, Unbound), found on `PATH` or in
/// the sbin folders, run to completion with its output captured.
package struct ExternalTool: Sendable {
    package let name: String
    package let path: String

    /// The folders searched after `PATH`; daemons live in sbin, which a non-root `PATH` lacks.
    private static let extraFolders = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The program at `path` (one not on `PATH`, such as the `daneprobe` under test).
    package init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// The tool called `name`, or nil when it is not installed.
    package static func find(_ name: String) -> ExternalTool? {
        let fromPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in fromPath + extraFolders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return ExternalTool(name: name, path: candidate) }
        }
        return nil
    }

    /// Whether every tool in `names` is installed (for `.enabled(if:)`).
    package static func available(_ names: String...) -> Bool { names.allSatisfy { find($0) != nil } }

    /// The tool called `name`, or a thrown `ToolError.missing` (tests guard with
    /// `.enabled(if:)` first, so this only fires when that guard was forgotten).
    package static func require(_ name: String) throws -> ExternalTool {
        guard let tool = find(name) else { throw ToolError.missing(name) }
        return tool
    }

    /// Runs the tool with `arguments` in `directory`, feeding `input` on standard input, and
    /// waits for it to exit. Output goes through files, so a chatty tool can never fill a pipe
    /// and block.
    /// A run that outlives `timeout` seconds is killed (SIGKILL to its PID) and reported as
    /// `ToolError.timedOut`, so a stuck peer cannot hang the suite.
    @discardableResult
    package func run(_ arguments: [String], in directory: URL? = nil, input: [UInt8] = [], timeout: Double = 300) throws -> ToolResult {
        let scratch = try TemporaryDirectory(prefix: "tool-\(name)")
        defer { scratch.remove() }
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        let inURL = scratch.url.appendingPathComponent("stdin")
        try Data(input).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.runWithSignalsUnblocked()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ToolError.timedOut(([name] + arguments).joined(separator: " "), seconds: timeout)
        }
        process.waitUntilExit()
        return ToolResult(
            command: ([name] + arguments).joined(separator: " "),
            status: process.terminationStatus,
            stdout: [UInt8](try Data(contentsOf: outURL)),
            stderr: [UInt8](try Data(contentsOf: errURL))
        )
    }

    /// Runs the tool and throws `ToolError.failed` unless it exits 0.
    @discardableResult
    package func check(_ arguments: [String], in directory: URL? = nil, input: [UInt8] = []) throws -> ToolResult {
        let result = try run(arguments, in: directory, input: input)
        guard result.status == 0 else { throw ToolError.failed(result) }
        return result
    }
}

/// What a finished tool run produced.
package struct ToolResult: Sendable, CustomStringConvertible {
    package let command: String
    package let status: Int32
    package let stdout: [UInt8]
    package let stderr: [UInt8]

    package var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    package var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    package var description: String {
        "`\(command)` exited \(status)\n--- stdout ---\n\(stdoutText)\n--- stderr ---\n\(stderrText)"
    }
}

package enum ToolError: Error, CustomStringConvertible {
    case missing(String)
    case failed(ToolResult)
    case timedOut(String, seconds: Double)

    package var description: String {
        switch self {
        case .missing(let name): "\(name) is not installed (`.ci/run` installs it from Debian's packages)"
        case .failed(let result): result.description
        case .timedOut(let command, let seconds): "`\(command)` did not finish within \(Int(seconds)) s and was killed"
        }
    }
}
