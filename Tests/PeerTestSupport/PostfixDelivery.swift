import DANE
/// One recipient's delivery attempt as a Postfix log (`maillog_file`) records it, read from
/// the agent's "QUEUEID: to=<…>, relay=…, dsn=…, status=… (…)" line and the lines the same
/// delivery process (`postfix/smtp[PID]`) logged for it since its previous status line: the
/// TLS summary ("Verified TLS connection established to …") and any DANE failure ("server
/// certificate verification failed for …: num=65:no matching DANE TLSA records"). Those
/// lines carry no queue ID; a delivery agent handles one delivery at a time, so the PID ties
/// them to it. Pure: built from log text.
package struct PostfixDelivery: Sendable, CustomStringConvertible {
    package enum Status: Sendable, Equatable {
        case sent, deferred, bounced, expired
        case other(String)

        init(_ word: String) {
            switch word {
            case "sent": self = .sent
            case "deferred": self = .deferred
            case "bounced": self = .bounced
            case "expired": self = .expired
            default: self = .other(word)
            }
        }
    }

    package var queueID: String
    package var recipient: String
    package var status: Status
    /// The text in parentheses after `status=`: the server's reply or Postfix's reason.
    package var statusText: String
    /// "mx.example.test[127.0.3.11]:25", or "none".
    package var relay: String?
    package var dsn: String?
    /// The whole status line and the delivery process's lines before it.
    package var statusLine: String
    package var sessionLines: [String]

    /// The last TLS summary of the session, if TLS was made.
    package var tlsSummary: String? { sessionLines.last { $0.contains(" TLS connection established to ") } }

    /// "Verified", "Trusted", "Untrusted", "Anonymous", or nil without TLS.
    package var tlsLevel: String? {
        guard let summary = tlsSummary, let range = summary.range(of: " TLS connection established to ") else { return nil }
        return summary[..<range.lowerBound].split(separator: " ").last.map(String.init)
    }

    /// The DANE failure logged in the session, or Postfix's reason when it deferred for it.
    package var daneFailure: String? {
        sessionLines.last { $0.contains("no matching DANE TLSA records") || $0.contains("certificate verification failed for") }
            ?? (statusText.contains("Server certificate not verified") ? statusText : nil)
    }

    /// The outcome in DESIGN.md's words.
    package var verdict: DANEVerdict? {
        if status == .sent {
            switch tlsLevel {
            case "Verified": return .verified
            case "Trusted": return .trusted
            case "Untrusted": return .untrusted
            case "Anonymous": return .anonymous
            case nil: return .plaintext
            default: return nil
            }
        }
        let text = statusText
        if text.contains("Server certificate not verified") || sessionLines.contains(where: { $0.contains("no matching DANE TLSA records") }) {
            return .daneFailed
        }
        if text.contains("TLS is required, but was not offered") { return .tlsRequiredFailed }
        if text.contains("nullMX") || text.contains("null MX") { return .noMail }
        if text.contains("lookup error") { return .dnsFailed }
        if text.contains("Host or domain name not found") || text.contains("Host not found") {
            return text.contains("try again") ? .dnsFailed : .noMail
        }
        let refusals = ["Connection refused", "Connection timed out", "No route to host", "Network is unreachable", "connect to "]
        if refusals.contains(where: { text.contains($0) }) { return .unreachable }
        return nil
    }

    package var description: String {
        "\(recipient): \(status) → \(verdict) (\(statusText))\n" + (sessionLines + [statusLine]).map { "  " + $0 }.joined(separator: "\n")
    }

    /// Every delivery attempt in `log`, in log order, with the queue ID each message-id got
    /// (from cleanup's "QUEUEID: message-id=<…>").
    package static func parse(log: String) -> (deliveries: [PostfixDelivery], queueIDs: [String: String]) {
        var deliveries: [PostfixDelivery] = []
        var queueIDs: [String: String] = [:]
        var pending: [String: [String]] = [:]  // delivery process → its lines since its last status
        for raw in log.split(whereSeparator: \.isNewline) {
            guard let line = LogLine(String(raw)) else { continue }
            if let range = line.message.range(of: ": message-id=<") {
                let id = line.message[range.upperBound...].prefix { $0 != ">" }
                queueIDs[String(id)] = String(line.message[..<range.lowerBound])
                continue
            }
            guard let statusRange = line.message.range(of: ", status=") else {
                pending[line.process, default: []].append(line.message)
                continue
            }
            let message = line.message
            guard let toRange = message.range(of: ": to=<") else { continue }
            let queueID = String(message[..<toRange.lowerBound])
            let recipient = String(message[toRange.upperBound...].prefix { $0 != ">" })
            let afterStatus = message[statusRange.upperBound...]
            let word = String(afterStatus.prefix { $0 != " " })
            var text = ""
            if let open = afterStatus.firstIndex(of: "("), let close = afterStatus.lastIndex(of: ")"), open < close {
                text = String(afterStatus[afterStatus.index(after: open)..<close])
            }
            deliveries.append(PostfixDelivery(
                queueID: queueID, recipient: recipient, status: Status(word), statusText: text,
                relay: field("relay", in: message), dsn: field("dsn", in: message),
                statusLine: message, sessionLines: pending[line.process] ?? []
            ))
            pending[line.process] = []
        }
        return (deliveries, queueIDs)
    }

    /// The value of ", NAME=VALUE," in a status line.
    private static func field(_ name: String, in message: String) -> String? {
        guard let range = message.range(of: " \(name)=") else { return nil }
        return String(message[range.upperBound...].prefix { $0 != "," && $0 != " " })
    }

    /// "MMM DD HH:MM:SS HOST PROGRAM[PID]: MESSAGE" (postlogd's format).
    private struct LogLine {
        var process: String
        var message: String

        init?(_ line: String) {
            guard let marker = line.range(of: "]: ") else { return nil }
            let head = line[..<marker.lowerBound]
            guard let start = head.lastIndex(of: " ") else { return nil }
            process = String(head[head.index(after: start)...]) + "]"
            message = String(line[marker.upperBound...])
        }
    }
}
