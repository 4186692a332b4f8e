import DNSCore
import Foundation

/// A private validating Unbound on 127.0.0.1 at a free port (or on a given loopback address
/// and port, e.g. 127.0.3.1:53 for tools that read /etc/resolv.conf, which names no port),
/// resolving `zone` through a stub to an authoritative server, with the zone's DS as its trust
/// anchor (INTEROP.md: `do-not-query-localhost: no`, `local-zone: "test." nodefault`,
/// `username: ""`, `chroot: ""`). Started in the foreground (`-d`) and stopped by its PID.
/// A fixed address and port must be free (`LoopbackSocket.checkFree`), and `so-reuseport: no`:
/// with Unbound's default a stale instance there (seen on 127.0.3.1:53) would answer for it.
package struct UnboundResolver {
    package let daemon: DaemonProcess
    package let directory: TemporaryDirectory
    package var port: UInt16 { daemon.port }

    package static let tools = ["unbound"]

    package static func start(zone: String, otherStubZones: [String] = [], authorityPort: UInt16, trustAnchor ds: String,
                              interface: String = "127.0.0.1", port fixedPort: UInt16? = nil,
                              authorityHost: String = "127.0.0.1") throws -> UnboundResolver {
        let unbound = try ExternalTool.require("unbound")
        let directory = try TemporaryDirectory(prefix: "unbound")
        let port: UInt16
        if let fixedPort {
            try LoopbackSocket.checkFree(interface, port: fixedPort)
            port = fixedPort
        } else {
            port = try LoopbackSocket.freePort()
        }
        let anchor = try directory.write(ds, to: "anchor.ds")
        let config = """
        server:
          interface: \(interface)
          port: \(port)
          so-reuseport: no
          do-ip6: no
          access-control: 127.0.0.0/8 allow
          username: ""
          chroot: ""
          directory: "\(directory.path)"
          pidfile: "\(directory.path)/unbound.pid"
          use-syslog: no
          logfile: ""
          verbosity: 1
          val-log-level: 2
          num-threads: 1
          do-not-query-localhost: no
          local-zone: "test." nodefault
          trust-anchor-file: "\(anchor.path)"
          trust-anchor-signaling: no
          qname-minimisation: no
          module-config: "validator iterator"
        \(([zone] + otherStubZones).map { "stub-zone:\n  name: \"\($0)\"\n  stub-addr: \(authorityHost)@\(authorityPort)\n" }.joined())
        remote-control:
          control-enable: no

        """
        let configURL = try directory.write(config, to: "unbound.conf")
        let daemon = try DaemonProcess(
            tool: unbound, arguments: ["-d", "-c", configURL.path], host: interface, port: port,
            logURL: directory.file("unbound.log"), directory: directory.url
        )
        let resolver = UnboundResolver(daemon: daemon, directory: directory)
        do {
            try daemon.awaitReady(probe: try DomainName(parsing: zone))
        } catch {
            resolver.stop()
            throw error
        }
        return resolver
    }

    package func stop() {
        daemon.stop()
        directory.remove()
    }
}
