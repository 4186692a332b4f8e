import Foundation
import SMTPTransport
import Synchronization

/// Appends every delivery the lab's mail servers accept to `folder/deliveries.jsonl`, one
/// JSON line each. Written synchronously from the SMTP server's event loop before it sends
/// the 250 (one short append to a local file), so a client that has seen 250 finds its
/// delivery in the file: `daneprobe lab deliveries` right after a send needs no wait.
public final class LabDeliveryRecorder: Sendable {
    public let file: URL
    private let now: @Sendable () -> Date
    private let handle: Mutex<FileHandle?>

    /// Creates the folder and the file (kept: a restarted `lab serve` appends).
    public init(folder: URL, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.file = folder.appendingPathComponent(LabDelivery.fileName)
        self.now = now
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw LabDelivery.ReadError(description: "cannot create \(file.path)")
            }
        }
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        self.handle = Mutex(handle)
    }

    deinit { handle.withLock { try? $0?.close() } }

    func record(_ stored: SMTPStoredMessage, scenario: LabScenario, host: LabMailHost) {
        let delivery = LabDelivery(time: now(), scenario: scenario, host: host, stored: stored)
        guard let line = try? delivery.jsonLine() else { return }
        handle.withLock { handle in
            do {
                try handle?.write(contentsOf: Data((line + "\n").utf8))
            } catch {
                // A full disk must not take the mail server down; the in-memory store keeps it.
                try? handle?.close()
                handle = nil
            }
        }
    }
}
