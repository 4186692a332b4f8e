import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `daneprobe serve` run as a user would: it prints its bound addresses, answers, and exits
/// 0 on SIGTERM (graceful shutdown through the ServiceGroup).
@Suite struct ServeCommandTests {
    @Test func servesAndStopsOnSIGTERM() throws {
        try CLI.withTemporaryFile("$ORIGIN example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n") { path in
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["serve", "--zone", "\(path):example.", "--listen", "127.0.0.1:0"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            let exited = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in exited.signal() }
            // The test runner's threads block signals; the child would inherit that mask.
            var none = sigset_t(), saved = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, &saved)
            try process.run()
            pthread_sigmask(SIG_SETMASK, &saved, nil)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            // Read lines until both listeners are printed (the pipe read blocks; no sleeping).
            var text = ""
            let handle = out.fileHandleForReading
            while text.components(separatedBy: "listening").count < 3 {
                let data = handle.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            #expect(text.contains("zone example. 3 records"))
            let udp = try #require(text.split(separator: "\n").first { $0.hasPrefix("listening udp 127.0.0.1:") })
            let port = try #require(UInt16(udp.split(separator: ":").last ?? ""))
            #expect(port != 0)
            #expect(text.contains("listening tcp 127.0.0.1:\(port)"))

            kill(process.processIdentifier, SIGTERM)
            #expect(exited.wait(timeout: .now() + 20) == .success)
            #expect(process.terminationStatus == 0)
        }
    }

    /// --sign: keys made by `zone sign`, the zone signed at load, its DS printed.
    @Test func signsAtLoad() throws {
        try CLI.withTemporaryFile("$ORIGIN example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n") { path in
            let keys = (path as NSString).deletingLastPathComponent
            let made = try CLI.run(["zone", "sign", path, "--keys", keys, "-o", path + ".signed"])
            try #require(made.status == 0, "\(made.stderr)")
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["serve", "--zone", "\(path):example.", "--listen", "127.0.0.1:0", "--sign", "--keys", keys]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            let exited = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in exited.signal() }
            var none = sigset_t(), saved = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, &saved)
            try process.run()
            pthread_sigmask(SIG_SETMASK, &saved, nil)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            var text = ""
            while text.components(separatedBy: "listening").count < 3 {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            #expect(text.contains(", signed"), "\(text)")
            #expect(text.contains("ds example.\t"), "\(text)")
            kill(process.processIdentifier, SIGTERM)
            #expect(exited.wait(timeout: .now() + 20) == .success)
        }
    }

    @Test func refusesABadZone() throws {
        try CLI.withTemporaryFile("$ORIGIN example.\n$TTL 60\nwww A 192.0.2.1\n") { path in
            let result = try CLI.run(["serve", "--zone", path, "--listen", "127.0.0.1:0"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("no SOA"))
        }
    }

    @Test func refusesABadListenAddress() throws {
        let result = try CLI.run(["serve", "--zone", "x.zone", "--listen", "[::1"])
        #expect(result.status != 0)
    }
}
