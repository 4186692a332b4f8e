import Foundation
import ScanStore
import Scanner
import Testing

/// The input streamed 64 KiB at a time: lines across chunk boundaries, no final newline, a
/// line far longer than any domain (cut, the rest dropped, memory bounded), bytes that are
/// not UTF-8, an empty file.
@Suite struct ScanInputLinesTests {
    func lines(of bytes: [UInt8]) throws -> [Substring] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let lines = ScanInputLines(handle: handle, name: path)
        let all = Array(lines)
        #expect(lines.error == nil)
        return all
    }

    @Test func linesAcrossChunkBoundariesAndWithoutAFinalNewline() throws {
        // 200,000 numbered domains: ~3 MiB, so many 64 KiB chunks end mid-line.
        let domains = (1...200_000).map { "\($0),d\($0).example" }
        let read = try lines(of: Array((domains.joined(separator: "\n")).utf8))
        #expect(read.count == domains.count)
        #expect(read.map(String.init) == domains)
    }

    @Test func aHugeLineIsCutAndTheNextLineStillRead() throws {
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 3 << 20)
        let read = try lines(of: Array("first.example\n".utf8) + huge + Array("\nlast.example\n".utf8))
        #expect(read.count == 3)
        #expect(read[0] == "first.example")
        #expect(read[1].utf8.count == ScanInputLines.maximumLineLength)
        #expect(read[2] == "last.example")
        #expect(ScanInput.parse(read[1], number: 2) != .skip)
    }

    @Test func bytesThatAreNotUTF8BecomeAProblemLineNotACrash() throws {
        let read = try lines(of: [0x66, 0xFF, 0xFE, 0x2E, 0x65, 0x78, 0x0D, 0x0A, 0x6F, 0x6B, 0x2E, 0x65, 0x78])
        #expect(read.count == 2)
        guard case .problem = ScanInput.parse(read[0], number: 1) else {
            Issue.record("expected a problem for \(read[0])")
            return
        }
        #expect(ScanInput.parse(read[1], number: 2) == .entry(ScanEntry(domain: "ok.ex.", rank: nil, line: 2)))
    }

    @Test func anEmptyFileHasNoLines() throws {
        #expect(try lines(of: []).isEmpty)
        #expect(try lines(of: Array("\n".utf8)) == [""])
    }
}

extension ScanInputLinesTests {
    @Test func internationalizedNamesMustComeAsALabels() {
        guard case .problem(let problem) = ScanInput.parse("1,bücher.example", number: 1) else {
            Issue.record("a U-label was accepted")
            return
        }
        #expect(problem.reason.contains("xn--"))
        #expect(ScanInput.parse("1,xn--bcher-kva.example", number: 1) == .entry(ScanEntry(domain: "xn--bcher-kva.example.", rank: 1, line: 1)))
    }
}
