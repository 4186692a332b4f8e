import MailProbe
import ScanStore
import Scanner
import ServiceLifecycle
import Synchronization

/// The scan as a swift-service-lifecycle `Service`: on graceful shutdown (SIGINT/SIGTERM)
/// `DomainScanner.run` starts nothing new, finishes what is in flight and flushes the store.
final class ScanService: Service, Sendable {
    let scanner: DomainScanner
    let store: any ScanQueue
    let onResult: @Sendable (DomainReport) async -> Void
    let summary = Mutex<DomainScanner.Summary?>(nil)

    init(scanner: DomainScanner, store: any ScanQueue, onResult: @escaping @Sendable (DomainReport) async -> Void) {
        self.scanner = scanner
        self.store = store
        self.onResult = onResult
    }

    func run() async throws {
        let result = try await scanner.run(queue: store, onResult: onResult)
        summary.withLock { $0 = result }
    }
}
