import DANE
import Foundation
import SMTPTransport

/// One message a `lab serve` mail server accepted, as `lab serve --deliveries DIR` writes it
/// (one JSON object a line in `DIR/deliveries.jsonl`) and `daneprobe lab deliveries` reads
/// it: which scenario host got it, over what TLS, and whether the catalogue says a DANE-aware
/// sender should have delivered there at all.
public struct LabDelivery: Codable, Sendable, Hashable {
    public struct TLS: Codable, Sendable, Hashable {
        public var version: String?
        public var cipher: String?
        /// The SNI the client sent (RFC 7672 §8.1: a DANE client sends the TLSA base domain).
        public var serverName: String?
        /// Certificates the client presented (usually none).
        public var clientCertificates: Int
    }

    public var time: String
    public var scenario: String
    public var host: String
    /// The host serves the scenario's MITM certificate: whoever delivered here was fooled.
    public var mitm: Bool
    /// The catalogue's domain verdict by `--insecure-mx-policy`.
    public var expected: [String: String]
    public var heloName: String
    public var mailFrom: String
    public var recipients: [String]
    public var size: Int
    /// nil: the message came in plaintext.
    public var tls: TLS?
    public var peer: String

    public init(time: Date, scenario: LabScenario, host: LabMailHost, stored: SMTPStoredMessage) {
        self.time = ISO8601DateFormatter().string(from: time)
        self.scenario = scenario.id
        self.host = host.name
        self.mitm = host.certificate == LabDelivery.mitmCertificate
        self.expected = Dictionary(uniqueKeysWithValues: LabOutcome.policies.map { ($0.rawValue, scenario.expected.verdict(for: $0).rawValue) })
        self.heloName = stored.message.heloName
        self.mailFrom = stored.message.reversePath
        self.recipients = stored.message.recipients
        self.size = stored.message.data.count
        self.tls = stored.tls.map {
            TLS(version: $0.version, cipher: $0.cipherName, serverName: $0.serverName, clientCertificates: $0.peerChain.count)
        }
        self.peer = stored.peer
    }

    /// The certificate name the catalogue gives an impostor's server (go6lab-3/4, mitm-blocked).
    public static let mitmCertificate = "mitm"

    /// Verdicts under which a DANE-aware sender does not hand the message to any host.
    static let notDelivered: Set<String> = [DANEVerdict.daneFailed, .tlsRequiredFailed, .dnsFailed, .noMail, .unreachable].map(\.rawValue)
        .reduce(into: []) { $0.insert($1) }

    /// The policies under which the catalogue says this message should not have been sent here.
    public var unexpectedUnder: [String] {
        expected.keys.sorted().filter { expected[$0].map(Self.notDelivered.contains) ?? false }
    }

    /// One line for a person.
    public var text: String {
        var line = "\(time) \(scenario) \(host)\(mitm ? " (MITM)" : ""): from <\(mailFrom)> to "
            + recipients.map { "<\($0)>" }.joined(separator: ", ") + ", \(size) octets, "
        if let tls {
            line += "over \(tls.version ?? "TLS") \(tls.cipher ?? "")" + (tls.serverName.map { " SNI \($0)" } ?? " no SNI")
        } else {
            line += "in plaintext"
        }
        if mitm { line += " — your MTA sent \(scenario)'s mail to the MITM" }
        let unexpected = unexpectedUnder
        if !unexpected.isEmpty {
            line += " — the catalogue expects no delivery under " + unexpected.map { "\($0) (\(expected[$0] ?? ""))" }.joined(separator: ", ")
        }
        return line
    }

    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The file `lab serve` writes in its deliveries folder.
    public static let fileName = "deliveries.jsonl"

    /// Every delivery in a `deliveries.jsonl` (a missing file: none yet). A line that does not
    /// parse is an error naming its line number.
    public static func read(_ url: URL) throws -> [LabDelivery] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var deliveries: [LabDelivery] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do {
                deliveries.append(try decoder.decode(LabDelivery.self, from: Data(line.utf8)))
            } catch {
                throw ReadError(description: "\(url.path):\(index + 1): not a delivery record: \(error)")
            }
        }
        return deliveries
    }

    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }
}
