import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `daneprobe serve …` started as a child process and read until it has printed both
/// listeners (a blocking pipe read: no sleeping); stopped with SIGTERM, or SIGKILL when the
/// value goes away while it still runs.
final class RunningServe {
    let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    /// What it printed up to and including the two `listening …` lines.
    private(set) var output = ""

    /// `command` + `arguments`, read until `ready` holds for the output so far (default: both
    /// `listening` lines of `serve`).
    init(_ arguments: [String], command: [String] = ["serve"],
         ready: (String) -> Bool = { $0.components(separatedBy: "listening").count >= 3 }) throws {
        process.executableURL = CLI.binary
        process.arguments = command + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        // The test runner's threads block signals, and a child inherits the mask: unblock
        // them around the spawn so the server sees SIGTERM.
        var none = sigset_t(), saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
        let handle = out.fileHandleForReading
        while !ready(output) {
            let data = handle.availableData
            if data.isEmpty { break }
            output += String(decoding: data, as: UTF8.self)
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The UDP port of the first `listening udp 127.0.0.1:PORT` line.
    var udpPort: UInt16? {
        output.split(separator: "\n").first { $0.hasPrefix("listening udp 127.0.0.1:") }
            .flatMap { UInt16($0.split(separator: ":").last ?? "") }
    }

    /// SIGTERM, then waits up to 20 s; true when it exited in time.
    func terminate() -> Bool {
        kill(process.processIdentifier, SIGTERM)
        return exited.wait(timeout: .now() + 20) == .success
    }
}
