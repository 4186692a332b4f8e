// libFuzzer driver for the `check --json` → scan database path: arbitrary bytes decoded as a
// DomainReport JSON line and, when they decode, stored through ScanStore into a temporary
// SQLite database and read back. Built through SwiftPM by Fuzz/run.sh (the target exists only
// when DANEPROBE_FUZZ is set): it needs sqlite-nio and SwiftNIO.
//
// Properties: nothing traps; a decoded report is stored as exactly one finished domain under
// its key, its stored JSON line is the one `ScanRecord` made, and that line decodes back to an
// equal report.
import Dispatch
import Foundation
import FuzzDriver
import MailProbe
import ScanStore

/// One database for the whole run, emptied after each input.
private final class StoreBox: @unchecked Sendable {
    // @unchecked: touched only from the one libFuzzer thread, between semaphore waits.
    var store: ScanStore?
}

private let box = StoreBox()
private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("daneprobe-fuzz-store-\(getpid())")

private func blocking(_ work: @escaping @Sendable () async throws -> Void) {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var failure: (any Error)?
    Task {
        do { try await work() } catch { failure = error }
        done.signal()
    }
    done.wait()
    if let failure { fatalError("the store failed: \(failure)") }
}

private func check(_ bytes: [UInt8]) {
    guard let report = try? JSONDecoder().decode(DomainReport.self, from: Data(bytes)) else { return }
    let started = Date(timeIntervalSince1970: 1_767_225_600)
    let record = ScanRecord(report: report, startedAt: started, finishedAt: started.addingTimeInterval(1))
    let box = box
    blocking {
        if box.store == nil {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            box.store = try await ScanStore.open(path: folder.appendingPathComponent("scan.sqlite").path, batchSize: 1)
        }
        guard let store = box.store else { return }
        try await store.record(record)
        try await store.flush()
        let stored = try await store.reports(after: nil, limit: 10)
        guard stored.count == 1, let (domain, json) = stored.first else { fatalError("\(stored.count) stored reports for one input") }
        guard domain == ScanStore.key(report.domain) else { fatalError("stored under \(domain), not \(ScanStore.key(report.domain))") }
        guard json == record.reportJSON else { fatalError("the stored JSON line differs from the one recorded") }
        guard let back = try? JSONDecoder().decode(DomainReport.self, from: Data(json.utf8)) else { fatalError("the stored JSON line does not decode") }
        guard back == report else { fatalError("the stored report decodes to a different report") }
        let counts = try await store.counts()
        guard counts.done == 1, counts.total == 1 else { fatalError("counts \(counts) after one report") }
        _ = try await store.query("DELETE FROM domains")
    }
}

FuzzDriver.run { check($0) }
