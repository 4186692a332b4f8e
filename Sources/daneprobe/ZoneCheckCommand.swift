import ArgumentParser
import DNSZoneFile

struct ZoneCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a zone file; print every error as FILE:LINE:COL: reason.",
        discussion: """
        Exit status 0 when the file is valid, 1 when it has errors (all of them are listed, \
        like a compiler's). Checks syntax and RDATA of every record, plus the zone rules: one \
        SOA at the apex, no data outside the zone, nothing beside a CNAME.
        """
    )

    @OptionGroup var zone: ZoneFileOptions

    func run() async throws {
        let report = ZoneChecker(origin: try zone.parsedOrigin(), allowInclude: zone.allowInclude).check(file: zone.file)
        for error in report.errors { printError(error.description) }
        let originText = report.origin.map { ", origin \($0)" } ?? ""
        if report.isValid {
            print("\(zone.file): \(report.recordCount) records\(originText), no errors")
        } else {
            printError("\(zone.file): \(report.errors.count) error\(report.errors.count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
    }
}
