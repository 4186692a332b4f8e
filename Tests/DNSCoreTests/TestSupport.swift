import Foundation
import Testing
@testable import DNSCore

/// Bytes from hex with optional blanks, for literals in tests.
func hex(_ text: String) -> [UInt8] {
    let digits = text.utf8.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 }
    guard let bytes = Base16.decode(digits) else { preconditionFailure("bad hex literal \(text)") }
    return bytes
}

/// `name` in wire form, for building messages by hand.
func nameWire(_ name: String) -> [UInt8] { DomainName(stringLiteral: name).wire }

/// Decodes `bytes` as the whole RDATA of `type`.
func decodeRData(_ type: RRType, _ bytes: [UInt8]) throws(DNSWireError) -> RData {
    var reader = WireReader(bytes)
    return try RData(type: type, length: bytes.count, from: &reader)
}

/// The error code decoding `bytes` as RDATA of `type` fails with, or nil if it decodes.
func wireErrorCode(_ type: RRType, _ bytes: [UInt8]) -> DNSWireError.Code? {
    do {
        _ = try decodeRData(type, bytes)
        return nil
    } catch {
        return error.code
    }
}

/// The error code parsing `text` as RDATA of `type` fails with, or nil if it parses.
func presentationErrorCode(_ type: RRType, _ text: String, origin: DomainName? = nil) -> PresentationError.Code? {
    do {
        _ = try RData(type: type, text: text, origin: origin)
        return nil
    } catch {
        return error.code
    }
}

/// Parses, checks that printing and re-parsing gives the same value, and that the wire form
/// decodes back to it; returns the value.
@discardableResult
func roundTrip(_ type: RRType, _ text: String, origin: DomainName? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> RData {
    let rdata = try RData(type: type, text: text, origin: origin)
    let reparsed = try RData(type: type, text: rdata.presentation)
    #expect(reparsed == rdata, "print/parse of \(text) gave \(reparsed.presentation)", sourceLocation: sourceLocation)
    let decoded = try decodeRData(type, rdata.wire)
    #expect(decoded == rdata, "wire round trip of \(text)", sourceLocation: sourceLocation)
    #expect(decoded.wire == rdata.wire, sourceLocation: sourceLocation)
    return rdata
}

/// Every strict prefix of `bytes` must fail to decode as `type` (never crash, never succeed
/// with bytes left out).
func expectEveryTruncationFails(_ type: RRType, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    for count in 0..<bytes.count {
        let code = wireErrorCode(type, Array(bytes.prefix(count)))
        #expect(code != nil, "\(type) decoded from the first \(count) of \(bytes.count) octets", sourceLocation: sourceLocation)
    }
}

/// The text of a file under `Vectors/`.
func vectorFile(_ path: String) throws -> String {
    let base = try #require(Bundle.module.resourceURL, "test bundle has no resources")
    let url = base.appendingPathComponent("Vectors").appendingPathComponent(path)
    return try String(contentsOf: url, encoding: .utf8)
}

/// One block of a `text` / `wire` / `print` vector file (see Vectors/rfc9460/appendix-D-valid.txt).
struct RDataVector: CustomStringConvertible {
    var title = ""
    var texts: [(type: RRType, rdata: String)] = []
    var wire: [UInt8]?
    var printed: String?

    var description: String { title }
}

/// Reads a block vector file: blank lines separate blocks, `;` lines are comments (the last
/// one before a block's data is its title).
func rdataVectors(_ path: String) throws -> [RDataVector] {
    var vectors: [RDataVector] = []
    var current = RDataVector()
    var lastComment = ""
    func flush() {
        if !current.texts.isEmpty { vectors.append(current) }
        current = RDataVector()
    }
    for line in try vectorFile(path).split(separator: "\n", omittingEmptySubsequences: false) {
        if line.trimmingCharacters(in: .whitespaces).isEmpty { flush(); continue }
        if line.hasPrefix(";") { lastComment = String(line.dropFirst().trimmingCharacters(in: .whitespaces)); continue }
        if current.title.isEmpty { current.title = lastComment }
        let (keyword, rest) = splitFirst(String(line))
        switch keyword {
        case "text":
            let (typeText, rdata) = splitFirst(rest)
            let type = try #require(RRType(mnemonic: typeText), "bad type in \(line)")
            current.texts.append((type, rdata))
        case "wire":
            current.wire = hex(rest)
        case "print":
            current.printed = rest
        default:
            Issue.record("unknown vector line \(line)")
        }
    }
    flush()
    return vectors
}

/// The non-comment, non-blank lines of a vector file, split into type and RDATA text.
func rdataLines(_ path: String) throws -> [(type: RRType, rdata: String)] {
    var lines: [(RRType, String)] = []
    for line in try vectorFile(path).split(separator: "\n") where !line.hasPrefix(";") {
        let (typeText, rdata) = splitFirst(String(line))
        lines.append((try #require(RRType(mnemonic: typeText)), rdata))
    }
    return lines
}

func splitFirst(_ line: String) -> (String, String) {
    guard let space = line.firstIndex(of: " ") else { return (line, "") }
    return (String(line[..<space]), String(line[line.index(after: space)...]))
}
