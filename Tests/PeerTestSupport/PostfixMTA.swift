import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private Postfix MTA as a judge: a real `smtp` delivery agent sending one message at a
/// time to the MX hosts of a lab domain, through a given validating resolver, with the verdict
/// read from its log (INTEROP.md, "Postfix as the judge").
///
/// Everything lives in one temporary folder, which is its `config_directory`: main.cf,
/// master.cf (the stock services, none chrooted, plus `postlog` so `maillog_file` works),
/// the queue, the data directory and the log. `master_service_disable = inet`: it listens
/// nowhere. It is started by `postfix -c DIR start` inside a private mount namespace whose
/// /etc/resolv.conf names only the resolver (`PrivateResolverNamespace`; the master daemon and
/// every delivery agent it forks stay in it), and stopped by `postfix -c DIR stop`, which
/// signals the PID in its own `pid/master.pid` — never by name. Delivery agents connect to
/// port 25 of the MX hosts (run as root, so lab servers can bind 127.0.0.x:25).
///
/// Facts learned (Postfix 3.7): `maillog_file` must start with one of
/// `maillog_file_prefixes` (default /var, /dev/stdout), or every command fails with nothing
/// on a non-terminal stderr; `data_directory` must belong to `mail_owner`; a failed DANE
/// check defers at the first attempt ("status=deferred (Server certificate not verified)"),
/// so no retry settings are needed to see it.
package final class PostfixMTA {
    package struct Configuration: Sendable {
        /// The validating resolver's IPv4 address (it must listen on port 53).
        package var resolver: String
        package var insecureMXPolicy: PostTLSFinger.InsecureMXPolicy
        /// `dnssec_probe`, e.g. "ns:example.test." (empty: no probe).
        package var dnssecProbe: String
        package var hostname: String
        /// `inet_protocols`: "ipv4", "ipv6" or "all".
        package var inetProtocols: String
        /// Seconds for each SMTP stage (connect, HELO, STARTTLS, MAIL, RCPT, DATA, QUIT).
        package var smtpTimeout: Int
        /// More main.cf lines, "name = value", appended last (they win).
        package var extraMainCF: [String]

        package init(resolver: String, insecureMXPolicy: PostTLSFinger.InsecureMXPolicy = .dane, dnssecProbe: String = "",
                     hostname: String = "judge.daneprobe.test", inetProtocols: String = "ipv4", smtpTimeout: Int = 5, extraMainCF: [String] = []) {
            self.resolver = resolver
            self.insecureMXPolicy = insecureMXPolicy
            self.dnssecProbe = dnssecProbe
            self.hostname = hostname
            self.inetProtocols = inetProtocols
            self.smtpTimeout = smtpTimeout
            self.extraMainCF = extraMainCF
        }
    }

    /// A message handed to `sendmail`, found again in the log by its Message-ID.
    package struct Submission: Sendable {
        package var recipient: String
        package var messageID: String
    }

    /// The modification date given to the config files: a main.cf modified in the current
    /// second makes every Postfix program wait until it is older (1.8 s each, Postfix 3.7).
    package static let configDate = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    package static let tools = ["postfix", "sendmail"] + PrivateResolverNamespace.tools

    /// Whether Debian's `postfix` package (and the namespace tools) are installed.
    package static var available: Bool { tools.allSatisfy { ExternalTool.find($0) != nil } }

    package let configuration: Configuration
    package let directory: TemporaryDirectory
    /// The master daemon's PID, from `pid/master.pid` after start.
    package let masterPID: Int32
    private var running = true

    package var logURL: URL { directory.file("maillog") }
    package var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Writes the configuration, starts the instance and waits (`postfix start` runs
    /// `master -w`, which returns once the daemon is up).
    package static func start(_ configuration: Configuration) throws -> PostfixMTA {
        let postfix = try ExternalTool.require("postfix")
        let directory = try TemporaryDirectory(prefix: "postfix")
        do {
            let queue = directory.file("queue"), data = directory.file("data")
            try FileManager.default.createDirectory(at: queue, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            if let owner = getpwnam("postfix") { _ = chown(data.path, owner.pointee.pw_uid, owner.pointee.pw_gid) }
            _ = try directory.write(mainCF(configuration, directory: directory), to: "main.cf", modified: configDate)
            _ = try directory.write(masterCF, to: "master.cf", modified: configDate)
            _ = FileManager.default.createFile(atPath: directory.file("maillog").path, contents: nil)
            let namespace = try PrivateResolverNamespace(nameserver: configuration.resolver, in: directory)
            let started = try namespace.run(postfix, ["-c", directory.path, "start"], timeout: 60)
            let pidText = (try? String(contentsOf: queue.appendingPathComponent("pid/master.pid"), encoding: .utf8)) ?? ""
            guard started.status == 0, let pid = Int32(pidText.trimmed) else {
                throw PostfixError.startFailed(started.description + "\n--- maillog ---\n" + ((try? String(contentsOf: directory.file("maillog"), encoding: .utf8)) ?? ""))
            }
            return PostfixMTA(configuration: configuration, directory: directory, masterPID: pid)
        } catch {
            directory.remove()
            throw error
        }
    }

    private init(configuration: Configuration, directory: TemporaryDirectory, masterPID: Int32) {
        self.configuration = configuration
        self.directory = directory
        self.masterPID = masterPID
    }

    deinit { stop() }

    /// Submits one message for `recipient` with `sendmail -C DIR` (null reverse-path unless
    /// `sender` is given, so a bounce makes no second delivery).
    @discardableResult
    package func send(to recipient: String, from sender: String = "<>", subject: String = "daneprobe judge") throws -> Submission {
        let sendmail = try ExternalTool.require("sendmail")
        let messageID = "\(UUID().uuidString)@\(configuration.hostname)"
        let message = "From: judge@\(configuration.hostname)\nTo: \(recipient)\nSubject: \(subject)\nMessage-ID: <\(messageID)>\n\nOne message for \(recipient).\n"
        let result = try sendmail.run(["-C", directory.path, "-f", sender, "-i", "--", recipient], input: Array(message.utf8), timeout: 30)
        guard result.status == 0 else { throw ToolError.failed(result) }
        return Submission(recipient: recipient, messageID: messageID)
    }

    /// Waits (at most `timeout` seconds) for the first delivery attempt of `submission`,
    /// whatever its status: the log is followed by `tail -F` through a pipe — each read
    /// blocks until Postfix writes more — and parsed again after each chunk; no polling
    /// sleeps. At the deadline the follower is stopped and the wait fails.
    package func awaitDelivery(of submission: Submission, timeout: Double = 30) throws -> PostfixDelivery {
        let tail = Process()
        tail.executableURL = URL(fileURLWithPath: try ExternalTool.require("tail").path)
        tail.arguments = ["-c", "+1", "-F", logURL.path]
        let pipe = Pipe()
        tail.standardOutput = pipe
        tail.standardError = FileHandle.nullDevice
        try tail.runWithSignalsUnblocked()
        let deadline = DispatchWorkItem { tail.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        defer {
            deadline.cancel()
            if tail.isRunning { tail.terminate() }
            tail.waitUntilExit()
        }
        var text = ""
        while true {
            // Whole lines only: a chunk can end inside a line (tail passes on what postlogd has
            // written so far), and a status line cut after "status=s" reads as no known status.
            let whole = text.lastIndex(of: "\n").map { String(text[...$0]) } ?? ""
            let (deliveries, queueIDs) = PostfixDelivery.parse(log: whole)
            if let queueID = queueIDs[submission.messageID],
               let delivery = deliveries.first(where: { $0.queueID == queueID && $0.recipient == submission.recipient }) {
                return delivery
            }
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw PostfixError.noDelivery(recipient: submission.recipient, seconds: timeout, log: log) }
            text += String(decoding: chunk, as: UTF8.self)
        }
    }

    /// `send` then `awaitDelivery`.
    package func deliver(to recipient: String, timeout: Double = 30) throws -> PostfixDelivery {
        try awaitDelivery(of: send(to: recipient), timeout: timeout)
    }

    /// `postfix -c DIR stop` (it signals the PID in `pid/master.pid` and waits up to 5 s, then
    /// SIGKILLs that process group), SIGKILL to the recorded master PID if that failed, then
    /// removes the folder.
    package func stop() {
        guard running else { return }
        running = false
        let stopped = (try? ExternalTool.require("postfix").run(["-c", directory.path, "stop"], timeout: 30))?.status == 0
        if !stopped { kill(masterPID, SIGKILL) }
        directory.remove()
    }

    static func mainCF(_ configuration: Configuration, directory: TemporaryDirectory) -> String {
        let timeout = "\(configuration.smtpTimeout)s"
        let lines = [
            "compatibility_level = 3.6",
            "queue_directory = \(directory.path)/queue",
            "data_directory = \(directory.path)/data",
            "maillog_file = \(directory.path)/maillog",
            "maillog_file_prefixes = \(directory.path)",
            "myhostname = \(configuration.hostname)",
            "myorigin = $myhostname",
            "mydestination =",
            "relayhost =",
            "local_transport = error:local delivery is disabled",
            "alias_maps =",
            "alias_database =",
            "biff = no",
            "inet_interfaces = loopback-only",
            "inet_protocols = \(configuration.inetProtocols)",
            "master_service_disable = inet",
            "smtp_dns_support_level = dnssec",
            "smtp_tls_security_level = dane",
            "smtp_tls_dane_insecure_mx_policy = \(configuration.insecureMXPolicy.rawValue)",
            "smtp_tls_loglevel = 1",
            "smtp_tls_session_cache_database =",
            "smtp_connection_cache_on_demand = no",
            "dnssec_probe = \(configuration.dnssecProbe)",
            "smtp_connect_timeout = \(timeout)",
            "smtp_helo_timeout = \(timeout)",
            "smtp_starttls_timeout = \(timeout)",
            "smtp_mail_timeout = \(timeout)",
            "smtp_rcpt_timeout = \(timeout)",
            "smtp_data_init_timeout = \(timeout)",
            "smtp_data_xfer_timeout = \(timeout)",
            "smtp_data_done_timeout = \(timeout)",
            "smtp_quit_timeout = \(timeout)",
        ] + configuration.extraMainCF
        return lines.joined(separator: "\n") + "\n"
    }

    /// Debian's master.cf services for outgoing mail, none chrooted (a chroot would read the
    /// queue's own etc/resolv.conf, not the namespace's), plus `postlog` for `maillog_file`.
    static let masterCF = """
    pickup    unix  n       -       n       60      1       pickup
    cleanup   unix  n       -       n       -       0       cleanup
    qmgr      unix  n       -       n       300     1       qmgr
    tlsmgr    unix  -       -       n       1000?   1       tlsmgr
    rewrite   unix  -       -       n       -       -       trivial-rewrite
    bounce    unix  -       -       n       -       0       bounce
    defer     unix  -       -       n       -       0       bounce
    trace     unix  -       -       n       -       0       bounce
    verify    unix  -       -       n       -       1       verify
    flush     unix  n       -       n       1000?   0       flush
    proxymap  unix  -       -       n       -       -       proxymap
    proxywrite unix -       -       n       -       1       proxymap
    smtp      unix  -       -       n       -       -       smtp
    relay     unix  -       -       n       -       -       smtp
    showq     unix  n       -       n       -       -       showq
    error     unix  -       -       n       -       -       error
    retry     unix  -       -       n       -       -       error
    discard   unix  -       -       n       -       -       discard
    anvil     unix  -       -       n       -       1       anvil
    scache    unix  -       -       n       -       1       scache
    postlog   unix-dgram n  -       n       -       1       postlogd

    """
}

package enum PostfixError: Error, CustomStringConvertible {
    case startFailed(String)
    case noDelivery(recipient: String, seconds: Double, log: String)

    package var description: String {
        switch self {
        case .startFailed(let details): "postfix did not start:\n\(details)"
        case .noDelivery(let recipient, let seconds, let log): "no delivery attempt for \(recipient) logged within \(Int(seconds)) s:\n\(log)"
        }
    }
}
