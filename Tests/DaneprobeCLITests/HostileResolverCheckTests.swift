import Foundation
import PeerTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `daneprobe check` behind hostile DNS (issue 10), end to end: an upstream that never
/// answers, and one whose every answer carries a compression loop. The MX lookup fails, so
/// the domain is `dns-failed` (deferred, RFC 7672 §2.2.1) with the MX step's reason, in
/// bounded time. (The resolver's own handling of each hostile peer is in
/// DNSResolverTests/AdversarialPeerTests.)
@Suite(.serialized) struct HostileResolverCheckTests {
    static func check(port: UInt16) throws -> (report: [String: Any], status: Int32, elapsed: Duration) {
        let start = ContinuousClock.now
        let result = try CLI.run(["check", "example.test", "--json", "--resolver", "127.0.0.1:\(port)", "--timeout", "0.5"])
        let elapsed = ContinuousClock.now - start
        let line = try #require(result.stdout.split(separator: "\n").first, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (report, result.status, elapsed)
    }

    static func mxReason(_ report: [String: Any]) -> [String: Any]? {
        (report["reasons"] as? [[String: Any]])?.first { $0["step"] as? String == "mx" }
    }

    @Test func silentResolverIsDNSFailed() throws {
        let fd = try LoopbackSocket.open(.datagram)
        defer { _ = close(fd) }
        try LoopbackSocket.bindLoopback(fd, port: 0)
        let (report, status, elapsed) = try Self.check(port: try LoopbackSocket.boundPort(fd))
        #expect(report["verdict"] as? String == "dns-failed", "\(report)")
        #expect(status != 0)
        let reason = try #require(Self.mxReason(report), "\(report)")
        #expect(reason["status"] as? String == "indeterminate")
        #expect(elapsed < .seconds(30))
        // The advice names the problem: no answer, not broken signatures.
        let advice = (report["advice"] as? [String]) ?? []
        #expect(advice.contains { $0.contains("no name server gave a usable answer") }, "\(advice)")
        #expect(!advice.contains { $0.contains("DNSSEC chain") }, "\(advice)")
    }

    @Test func compressionLoopResolverIsDNSFailed() throws {
        // Every answer: the query's ID, QR set, one question whose name points at itself;
        // served from a thread of this process (the CLI runs as a child process).
        let fd = try LoopbackSocket.open(.datagram)
        defer { _ = close(fd) }
        try LoopbackSocket.bindLoopback(fd, port: 0)
        var interval = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        let port = try LoopbackSocket.boundPort(fd)
        let stop = Mutex(false)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            var buffer = [UInt8](repeating: 0, count: 65_535)
            while !stop.withLock({ $0 }) {
                var peer = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let count = buffer.withUnsafeMutableBytes { raw in
                    withUnsafeMutablePointer(to: &peer) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
                    }
                }
                guard count >= 2 else { continue }
                let reply: [UInt8] = [buffer[0], buffer[1], 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 15, 0, 1]
                _ = reply.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &peer) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, length) }
                    }
                }
            }
        }
        thread.start()
        defer {
            stop.withLock { $0 = true }
            done.wait()
        }
        let (report, status, elapsed) = try Self.check(port: port)
        #expect(report["verdict"] as? String == "dns-failed", "\(report)")
        #expect(status != 0)
        let reason = try #require(Self.mxReason(report), "\(report)")
        #expect(reason["status"] as? String == "indeterminate")
        let mx = try #require((report["mx"] as? [String: Any])?["reasons"] as? [[String: Any]], "\(report)")
        #expect(mx.contains { "\($0["detail"] ?? "")".contains("pointer") }, "\(mx)")
        #expect(elapsed < .seconds(30))
    }
}
