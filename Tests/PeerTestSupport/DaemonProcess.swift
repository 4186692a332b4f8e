import DNSCore
import Foundation

/// A DNS daemon (NSD, Unbound) started in the foreground by the test, with a private config,
/// listening on `host`:`port` (127.0.0.1 unless given), and stopped by the PID the test
/// recorded — never by name.
package final class DaemonProcess {
    package let name: String
    package let host: String
    package let port: UInt16
    package let pid: Int32
    package let logURL: URL
    private let process: Process
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `tool` with `arguments` (which must keep it in the foreground), output to
    /// `logURL`.
    package init(tool: ExternalTool, arguments: [String], host: String = "127.0.0.1", port: UInt16, logURL: URL, directory: URL) throws {
        name = tool.name
        self.host = host
        self.port = port
        self.logURL = logURL
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process = Process()
        process.executableURL = URL(fileURLWithPath: tool.path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let semaphore = exited
        process.terminationHandler = { _ in semaphore.signal() }
        try process.runWithSignalsUnblocked()
        try? log.close()
        pid = process.processIdentifier
    }

    deinit { stop() }

    /// Waits until the daemon answers a real DNS query (SOA for `probe`) on its UDP port:
    /// up to `attempts` tries, each waiting at most `perAttempt` seconds for the answer — the
    /// receive timeout paces the loop, nothing sleeps. Throws if the daemon exits first or
    /// never answers.
    package func awaitReady(probe: DomainName, attempts: Int = 150, perAttempt: Double = 0.1) throws {
        for attempt in 0..<attempts {
            guard process.isRunning else { throw DaemonError.exited(name: name, status: process.terminationStatus, log: log) }
            let query = Message.query(id: UInt16(truncatingIfNeeded: 0x5000 &+ attempt), name: probe, type: .soa, recursionDesired: false)
            if try LoopbackSocket.exchangeUDP(query.wire, host: host, port: port, timeout: perAttempt) != nil { return }
        }
        throw DaemonError.notReady(name: name, address: "\(host):\(port)", log: log)
    }

    /// SIGTERM to the recorded PID, a bounded wait for the exit, then SIGKILL if needed.
    package func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if exited.wait(timeout: .now() + 10) == .timedOut {
            kill(pid, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
        }
    }

    package var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
}

package enum DaemonError: Error, CustomStringConvertible {
    case exited(name: String, status: Int32, log: String)
    case notReady(name: String, address: String, log: String)

    package var description: String {
        switch self {
        case .exited(let name, let status, let log): "\(name) exited with status \(status) before answering:\n\(log)"
        case .notReady(let name, let address, let log): "\(name) did not answer on \(address):\n\(log)"
        }
    }
}
