import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// aiosmtpd run by /usr/bin/python3 (Debian's interpreter, where the package installs), stopped
/// by its PID.
package final class AiosmtpdServer {
    package static let python = "/usr/bin/python3"

    package static var available: Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import aiosmtpd.smtp"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static let script = #"""
    import asyncio, ssl, sys
    from aiosmtpd.smtp import SMTP

    chain, key = sys.argv[1], sys.argv[2]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain, key)
    names = {}
    def sni(sock, name, ctx):
        names[id(sock)] = name
    context.sni_callback = sni

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            obj = server.transport.get_extra_info("ssl_object")
            name = names.get(id(obj)) if obj is not None else None
            body = envelope.content.decode().replace("\r\n", "|")
            print("MESSAGE %s %s tls=%d sni=%s bytes=%s" % (envelope.mail_from, ",".join(envelope.rcpt_tos), obj is not None, name, body), flush=True)
            return "250 2.0.0 OK"

    async def main():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(Handler(), tls_context=context, hostname="mx.example.test", timeout=30), "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(main())
    """#

    package let port: UInt16
    private let process: Process
    private let output: FileHandle
    private var pending: [UInt8] = []

    /// Serves the shared test chain (`TestPEM`) with STARTTLS on 127.0.0.1, port 0.
    package init(folder: TemporaryDirectory) throws {
        let (chain, key) = try TestPEM.writeFiles(to: folder.url)
        let scriptURL = try folder.write(Self.script, to: "server.py")
        let pipe = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [scriptURL.path, chain, key]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.runWithSignalsUnblocked()
        output = pipe.fileHandleForReading
        var first = ""
        // Readiness: the script prints its bound port once listening (a blocking read, no sleep).
        while !first.hasSuffix("\n") {
            let data = output.availableData
            guard !data.isEmpty else { break }
            first += String(decoding: data, as: UTF8.self)
        }
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false)
        guard let portLine = lines.first, let port = UInt16(portLine) else {
            process.terminate()
            throw ToolError.missing("aiosmtpd server did not start (printed \(first.debugDescription))")
        }
        self.port = port
        pending = Array(lines.dropFirst().joined(separator: "\n").utf8)
    }

    /// The next line the server printed (blocks until it comes or the server exits).
    package func nextLine() throws -> String {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                return line
            }
            let data = output.availableData
            if data.isEmpty { return String(decoding: pending, as: UTF8.self) }
            pending += data
        }
    }

    package func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
