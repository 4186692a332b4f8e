import Foundation
import MailProbe

/// Splits bytes arriving in chunks into lines and decodes each as a `DomainReport` (the JSON
/// lines of `daneprobe check --json` and `scan --jsonl`), so a file of any size is read in
/// constant memory. Blank lines are skipped; a line that is no report is counted unreadable.
public struct JSONLineSplitter: Sendable {
    /// The longest line kept: beyond it the line is dropped as unreadable (a runaway input
    /// cannot grow the buffer without bound).
    public static let maximumLineLength = 4 << 20

    private var pending: [UInt8] = []
    private var overlong = false

    public init() {}

    /// Feeds a chunk; every complete line is decoded and added to `accumulator`.
    public mutating func feed(_ chunk: some Sequence<UInt8>, into accumulator: inout ReportAccumulator) {
        for byte in chunk {
            if byte == UInt8(ascii: "\n") {
                finishLine(into: &accumulator)
            } else if pending.count < Self.maximumLineLength {
                pending.append(byte)
            } else {
                overlong = true
            }
        }
    }

    /// Adds the last line when the input did not end in a newline.
    public mutating func finish(into accumulator: inout ReportAccumulator) { finishLine(into: &accumulator) }

    private mutating func finishLine(into accumulator: inout ReportAccumulator) {
        defer {
            pending.removeAll(keepingCapacity: true)
            overlong = false
        }
        if overlong { accumulator.addUnreadable(); return }
        guard pending.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }) else { return }
        if let report = try? JSONDecoder().decode(DomainReport.self, from: Data(pending)) {
            accumulator.add(report)
        } else {
            accumulator.addUnreadable()
        }
    }
}
