import Foundation

/// Runs a command with its own `/etc/resolv.conf` naming one nameserver with `options
/// trust-ad` (INTEROP.md, "Postfix as the judge"): Postfix's `smtp` and `posttls-finger` use
/// the system resolver and trust its AD bit, and a resolv.conf names no port, so the
/// validating resolver must listen on port 53 of its own loopback address (127.0.3.1, say).
///
/// The machine's file is never touched: the command runs in a private mount namespace
/// (`unshare -m`, whose mounts util-linux makes private by default) where the folder's
/// resolv.conf is bind-mounted over /etc/resolv.conf, then `exec`s, so the PID that
/// `unshare` started is the command itself (a timeout's SIGKILL reaches it). Needs root.
package struct PrivateResolverNamespace: Sendable {
    /// The IPv4 address of the resolver (port 53).
    package let nameserver: String
    /// The resolv.conf written for it.
    package let resolvConf: URL

    package static let tools = ["unshare", "mount", "sh", "env"]

    /// Writes `resolv.conf` into `directory`.
    package init(nameserver: String, in directory: TemporaryDirectory) throws {
        self.nameserver = nameserver
        resolvConf = try directory.write("nameserver \(nameserver)\noptions trust-ad attempts:1 timeout:5\n", to: "resolv.conf")
    }

    /// The `unshare` arguments that run `command` (an absolute path and its arguments) with
    /// `environment` added, inside the namespace.
    package func arguments(for command: [String], environment: [String: String] = [:]) -> [String] {
        // The paths travel as positional parameters ("$1", "$@"), so nothing is quoted by hand.
        let script = #"mount --bind "$1" /etc/resolv.conf && shift && exec "$@""#
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ["-m", "sh", "-c", script, "sh", resolvConf.path, "env"] + assignments + command
    }

    /// Runs `tool` with `arguments` in the namespace (see `ExternalTool.run`: output captured,
    /// killed after `timeout` seconds).
    package func run(_ tool: ExternalTool, _ arguments: [String], environment: [String: String] = [:], input: [UInt8] = [], timeout: Double) throws -> ToolResult {
        let unshare = try ExternalTool.require("unshare")
        return try unshare.run(self.arguments(for: [tool.path] + arguments, environment: environment), input: input, timeout: timeout)
    }
}
