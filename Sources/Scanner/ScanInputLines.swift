import Foundation
import Synchronization

/// The lines of a scan's input read from a file (or standard input) 64 KiB at a time, so an
/// input of 150 million domains is never in memory at once: `DomainScanner.load` reads it as
/// it goes. A line longer than `maximumLineLength` bytes is cut there (the rest up to its
/// newline is dropped: no domain is that long, and `ScanInput.parse` reports it), so one
/// huge line without a newline cannot take the memory either. Bytes that are not UTF-8
/// become U+FFFD and the line is reported as not a domain name.
///
/// A read error ends the sequence; `error` then says what it was (a `Sequence` cannot throw).
public final class ScanInputLines: Sequence, Sendable {
    public static let maximumLineLength = 4096

    let handle: FileHandle
    let failure = Mutex<String?>(nil)
    let name: String

    /// `name` is how errors refer to the input (its path, or "standard input").
    public init(handle: FileHandle, name: String) {
        self.handle = handle
        self.name = name
    }

    /// Why reading stopped early, if it did.
    public var error: String? { failure.withLock { $0 } }

    public func makeIterator() -> Iterator { Iterator(lines: self) }

    public struct Iterator: IteratorProtocol {
        let lines: ScanInputLines
        var chunk: [UInt8] = []
        var position = 0
        var line: [UInt8] = []
        var skippingRest = false
        var ended = false

        init(lines: ScanInputLines) {
            self.lines = lines
        }

        public mutating func next() -> Substring? {
            while true {
                if position == chunk.count {
                    if ended { return nil }
                    if !refill() {
                        ended = true
                        if line.isEmpty && !skippingRest { return nil }
                        return take()
                    }
                }
                // Up to the next newline in this chunk, or its end.
                let rest = chunk[position...]
                let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
                let end = newline ?? chunk.count
                if !skippingRest {
                    let room = ScanInputLines.maximumLineLength - line.count
                    let piece = chunk[position..<Swift.min(end, position + room)]
                    line.append(contentsOf: piece)
                    if end - position > room { skippingRest = true }
                }
                position = end
                if newline != nil {
                    position += 1
                    return take()
                }
            }
        }

        mutating func take() -> Substring {
            let text = Substring(String(decoding: line, as: UTF8.self))
            line.removeAll(keepingCapacity: true)
            skippingRest = false
            return text
        }

        mutating func refill() -> Bool {
            do {
                guard let data = try lines.handle.read(upToCount: 1 << 16), !data.isEmpty else { return false }
                chunk = Array(data)
                position = 0
                return true
            } catch {
                let name = lines.name
                lines.failure.withLock { $0 = "\(name): \(error.localizedDescription)" }
                return false
            }
        }
    }
}
