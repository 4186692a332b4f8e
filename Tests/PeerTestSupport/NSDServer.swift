import DNSCore
import Foundation

/// A private NSD serving signed zones on 127.0.0.1 at a free port, from a config in its own
/// temporary folder (INTEROP.md: `ip-address`, `zonesdir`, `pidfile`, `zonelistfile`,
/// `xfrdfile`, `username: ""`, `chroot: ""`). Started in the foreground (`-d`) and stopped by
/// its PID.
package struct NSDServer {
    package let daemon: DaemonProcess
    package let directory: TemporaryDirectory
    package var port: UInt16 { daemon.port }

    package static let tools = ["nsd"]

    /// Serves each `(origin, file)`; origins without the trailing dot are fine for NSD.
    package static func start(zones: [(origin: String, file: URL)]) throws -> NSDServer {
        let nsd = try ExternalTool.require("nsd")
        let directory = try TemporaryDirectory(prefix: "nsd")
        let port = try LoopbackSocket.freePort()
        var config = """
        server:
          ip-address: 127.0.0.1@\(port)
          server-count: 1
          username: ""
          chroot: ""
          zonesdir: "\(directory.path)"
          pidfile: "\(directory.path)/nsd.pid"
          zonelistfile: "\(directory.path)/zone.list"
          xfrdfile: "\(directory.path)/xfrd.state"
          xfrdir: "\(directory.path)"
          database: ""
          verbosity: 1
          hide-version: yes
          do-ip6: no
          reuseport: no
        remote-control:
          control-enable: no

        """
        for zone in zones {
            config += """
            zone:
              name: "\(zone.origin)"
              zonefile: "\(zone.file.path)"

            """
        }
        let configURL = try directory.write(config, to: "nsd.conf")
        let daemon = try DaemonProcess(
            tool: nsd, arguments: ["-d", "-c", configURL.path], port: port,
            logURL: directory.file("nsd.log"), directory: directory.url
        )
        let server = NSDServer(daemon: daemon, directory: directory)
        do {
            try daemon.awaitReady(probe: try DomainName(parsing: zones.first?.origin ?? "."))
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    package func stop() {
        daemon.stop()
        directory.remove()
    }
}
