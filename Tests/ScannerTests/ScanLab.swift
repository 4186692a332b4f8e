import DANE
import DANELab
import Foundation
import MailProbe
import Scanner
import ScanStore

/// The lab in-process for scanner tests: the catalogue's scenarios (those a validating
/// resolver judges) on loopback port 0, one shared resolver at the lab's reference time, and
/// the expected verdict of every scenario's mail domain under `--insecure-mx-policy dane`.
enum ScanLab {
    static let scenarios = LabCatalogue.all.filter { $0.resolver == .validating }

    static var expected: [String: String] {
        Dictionary(uniqueKeysWithValues: scenarios.map { (ScanStore.key($0.domain), $0.expected.dane.rawValue) })
    }

    static func run<T: Sendable>(_ body: @Sendable (MailProbe) async throws -> T) async throws -> T {
        let hierarchy = try LabHierarchy(scenarios: scenarios, now: LabRunner.referenceTime)
        return try await LabNetwork.run(hierarchy, scenarios: scenarios) { endpoints in
            var options = MailProbeOptions()
            options.addressMap = endpoints.smtpAddressMap
            options.now = LabRunner.referenceTime
            options.timeout = .seconds(5)
            return try await body(MailProbe(resolver: endpoints.resolver(now: LabRunner.referenceTime), options: options))
        }
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
