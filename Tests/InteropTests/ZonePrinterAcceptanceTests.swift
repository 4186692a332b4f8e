import PeerTestSupport
import DNSCore
import DNSZoneFile
import Foundation
import Testing

/// What `ZoneFilePrinter` prints for a zone with every type the project supports
/// (`Vectors/alltypes.zone`) is accepted by BIND's `named-checkzone` and by
/// `ldns-read-zone`, and is the same zone as the vector in `ldns-read-zone -z` form.
@Suite("BIND and ldns accept what ZoneFilePrinter prints")
struct ZonePrinterAcceptanceTests {
    static let origin = "alltypes.test."

    /// Every type the vector must hold: if one goes missing from the parse, the printer is
    /// not tested for it.
    static let expectedTypes: [RRType] = [
        .a, .aaaa, .ns, .cname, .dname, .ptr, .soa, .mx, .txt, .srv, .caa, .svcb, .https, .ds, .cds, .dnskey,
        .cdnskey, .rrsig, .nsec, .nsec3, .nsec3param, .tlsa, .smimea, RRType(731),
    ]

    static let toolsPresent = ExternalTool.available("named-checkzone", "ldns-read-zone")

    /// Parses the vector (zero errors, every expected type) and writes the printed zone.
    private func printedVector(in work: TemporaryDirectory) throws -> (records: [ResourceRecord], file: URL) {
        let result = ZoneFileLoader.parse(file: InteropVectors.url("alltypes.zone").path,
                                          origin: try DomainName(parsing: Self.origin), allowInclude: false)
        let errorCount = result.errors.count
        #expect(errorCount == 0, "first errors:\n\(result.errors.prefix(5).map(\.description).joined(separator: "\n"))")
        let types = Set(result.records.map(\.type))
        for type in Self.expectedTypes {
            #expect(types.contains(type), "alltypes.zone parsed with no \(type) record")
        }
        let file = try work.write(ZoneFilePrinter.print(result.records), to: "printed.zone")
        return (result.records, file)
    }

    @Test("named-checkzone loads the printed zone",
          .enabled(if: ExternalTool.available("named-checkzone"), "needs bind9-utils (.ci/run installs it)"))
    func namedCheckzoneAccepts() throws {
        let work = try TemporaryDirectory(prefix: "alltypes-bind")
        defer { work.remove() }
        let printed = try printedVector(in: work)
        // `-i local`: integrity checks on in-zone names only (no lookups of out-of-zone
        // names through the system resolver); `-k fail`: bad names are errors.
        let result = try ExternalTool.require("named-checkzone").run(["-i", "local", "-k", "fail", Self.origin, printed.file.path])
        let printedText = try String(contentsOf: printed.file, encoding: .utf8)
        #expect(result.status == 0, "\(result)\n--- printed ---\n\(printedText)")
    }

    @Test("ldns-read-zone reads the printed zone as the same zone",
          .enabled(if: ExternalTool.available("ldns-read-zone"), "needs ldnsutils (.ci/run installs it)"))
    func ldnsReadZoneAcceptsTheSameZone() throws {
        let work = try TemporaryDirectory(prefix: "alltypes-ldns")
        defer { work.remove() }
        let printed = try printedVector(in: work)
        let read = try ExternalTool.require("ldns-read-zone").run([printed.file.path])
        #expect(read.status == 0, "\(read)")
        #expect(!read.stderrText.lowercased().contains("error"), "\(read)")

        let expected = try LDNSReadZone.canonical(InteropVectors.url("alltypes.zone"))
        let actual = try LDNSReadZone.canonical(printed.file)
        #expect(actual.count == printed.records.count, "ldns-read-zone read \(actual.count) of \(printed.records.count) printed records")
        if let difference = LDNSReadZone.firstDifference(expected: expected, actual: actual) {
            Issue.record("printed alltypes zone differs from the vector in ldns-read-zone -z form:\n\(difference)")
        }
    }
}
