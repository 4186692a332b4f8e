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
            let serve = try RunningServe(["--zone", "\(path):example.", "--listen", "127.0.0.1:0"])
            let text = serve.output
            #expect(text.contains("zone example. 3 records"))
            let port = try #require(serve.udpPort)
            #expect(port != 0)
            #expect(text.contains("listening tcp 127.0.0.1:\(port)"))
            #expect(serve.terminate())
            #expect(serve.process.terminationStatus == 0)
        }
    }

    /// --sign: keys made by `zone sign`, the zone signed at load, its DS printed.
    @Test func signsAtLoad() throws {
        try CLI.withTemporaryFile("$ORIGIN example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n") { path in
            let keys = (path as NSString).deletingLastPathComponent
            let made = try CLI.run(["zone", "sign", path, "--keys", keys, "-o", path + ".signed"])
            try #require(made.status == 0, "\(made.stderr)")
            let serve = try RunningServe(["--zone", "\(path):example.", "--listen", "127.0.0.1:0", "--sign", "--keys", keys])
            #expect(serve.output.contains(", signed"), "\(serve.output)")
            #expect(serve.output.contains("ds example.\t"), "\(serve.output)")
            #expect(serve.terminate())
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
