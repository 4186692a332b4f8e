import PeerTestSupport
import DNSCore
import Foundation
import Testing

/// Messages captured from real peers on loopback — NSD serving a zone signed by ldns, and
/// Unbound validating it through a stub — must decode with `Message(wire:)` and re-encode
/// with `.wire` to the very same octets (RFC 1035 §4.1.4 compression included).
///
/// Set `DANEPROBE_CAPTURE_DIR` to a folder to also save every captured response there (that
/// is how `Fuzz/corpus/message/` was made).
@Suite("Real peers' messages round-trip byte for byte")
struct PeerMessageRoundTripTests {
    static let origin = "example.test."

    /// One query and what its answer must look like.
    struct Probe: CustomStringConvertible {
        var name: String
        var type: RRType
        var dnssec: Bool = true
        var rcode: RCode = .noError
        /// The answer section holds a record of this type (nil: answer section empty).
        var answerType: RRType?
        /// The authority section holds a record of this type.
        var authorityType: RRType?
        /// The authority section carries an NSEC or NSEC3 denial (RFC 4035 §3.1.3).
        var denial: Bool = false
        /// Opt-out NSEC3 cannot prove this answer (RFC 5155 §6: the span covered by an opt-out
        /// NSEC3 may hold unsigned delegations), so Unbound leaves AD clear for it.
        var insecureUnderOptOut: Bool = false

        var description: String { "\(name) \(type)\(dnssec ? " +dnssec" : "")" }
    }

    /// What NSD is asked (RD clear).
    static let authoritativeProbes: [Probe] = [
        Probe(name: origin, type: .soa, answerType: .soa),
        Probe(name: origin, type: .soa, dnssec: false, answerType: .soa),
        Probe(name: origin, type: .ns, answerType: .ns),
        Probe(name: origin, type: .dnskey, answerType: .dnskey),
        Probe(name: "mail." + origin, type: .a, answerType: .a),
        Probe(name: "mail." + origin, type: .aaaa, answerType: .aaaa),
        Probe(name: origin, type: .mx, answerType: .mx),
        Probe(name: origin, type: .mx, dnssec: false, answerType: .mx),
        Probe(name: origin, type: .txt, answerType: .txt),
        Probe(name: "txt." + origin, type: .txt, answerType: .txt),
        Probe(name: "www." + origin, type: .a, answerType: .cname),
        Probe(name: "_25._tcp.mail." + origin, type: .tlsa, answerType: .tlsa),
        Probe(name: "_submission._tcp." + origin, type: .srv, answerType: .srv),
        Probe(name: "nope." + origin, type: .a, rcode: .nxDomain, authorityType: .soa, denial: true),
        Probe(name: "deep.nope." + origin, type: .mx, rcode: .nxDomain, authorityType: .soa, denial: true),
        Probe(name: origin, type: .aaaa, authorityType: .soa, denial: true),
        Probe(name: "child." + origin, type: .ds, answerType: .ds),
        Probe(name: "host.child." + origin, type: .a, authorityType: .ds),
        Probe(name: "host.insecure." + origin, type: .a, authorityType: .ns, denial: true),
        Probe(name: "insecure." + origin, type: .ds, authorityType: .soa, denial: true),
    ]

    /// What Unbound is asked (RD set); every answer must carry AD, but those opt-out leaves
    /// unproven.
    static let resolverProbes: [Probe] = [
        Probe(name: origin, type: .soa, answerType: .soa),
        Probe(name: origin, type: .dnskey, answerType: .dnskey),
        Probe(name: "mail." + origin, type: .a, answerType: .a),
        Probe(name: origin, type: .mx, answerType: .mx),
        Probe(name: "www." + origin, type: .a, answerType: .cname),
        Probe(name: "_25._tcp.mail." + origin, type: .tlsa, answerType: .tlsa),
        Probe(name: "nope." + origin, type: .a, rcode: .nxDomain, authorityType: .soa, denial: true, insecureUnderOptOut: true),
        Probe(name: origin, type: .aaaa, authorityType: .soa, denial: true),
        Probe(name: "child." + origin, type: .ds, answerType: .ds),
    ]

    static let signers: [PeerZoneSigner] = [
        PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec),
        PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec3(salt: "ABCD", iterations: 0, optOut: false)),
        PeerZoneSigner(tool: .ldns, algorithm: 13, denial: .nsec3(salt: "", iterations: 0, optOut: true)),
    ]

    static let toolsPresent = ExternalTool.available("nsd", "unbound", "ldns-keygen", "ldns-signzone", "ldns-key2ds")

    @Test("NSD and a validating Unbound, zone signed by ldns", .enabled(if: toolsPresent, "needs nsd, unbound and ldnsutils (.ci/run installs them)"),
          arguments: signers)
    func capturedMessagesRoundTrip(signer: PeerZoneSigner) throws {
        let work = try TemporaryDirectory(prefix: "roundtrip")
        defer { work.remove() }
        let zone = try InteropVectors.text("example.test.zone")
        let signed = try signer.sign(zone: zone, origin: Self.origin, in: work)

        let nsd = try NSDServer.start(zones: [(Self.origin, signed.file)])
        defer { nsd.stop() }
        let unbound = try UnboundResolver.start(zone: Self.origin, authorityPort: nsd.port, trustAnchor: signed.ds)
        defer { unbound.stop() }

        var id: UInt16 = 0x1000
        for probe in Self.authoritativeProbes {
            id &+= 1
            try check(probe, id: id, port: nsd.port, recursive: false, optOut: signer.optOut, label: "nsd-\(signer.tag)", logs: nsd.daemon)
        }
        for probe in Self.resolverProbes {
            id &+= 1
            try check(probe, id: id, port: unbound.port, recursive: true, optOut: signer.optOut, label: "unbound-\(signer.tag)", logs: unbound.daemon)
        }
    }

    private func check(_ probe: Probe, id: UInt16, port: UInt16, recursive: Bool, optOut: Bool, label: String, logs: DaemonProcess) throws {
        let query = Message.query(id: id, name: try DomainName(parsing: probe.name), type: probe.type,
                                  recursionDesired: recursive, dnssec: probe.dnssec)
        // Bounded: three tries of two seconds each, for a resolver still fetching keys.
        var response: [UInt8]?
        for _ in 0..<3 where response == nil {
            response = try LoopbackSocket.exchangeUDP(query.wire, port: port, timeout: 2)
        }
        guard let bytes = response else {
            Issue.record("\(label): no answer to \(probe)\n\(logs.log)")
            return
        }
        saveCapture(bytes, label: label, probe: probe)

        let message: Message
        do {
            message = try Message(wire: bytes)
        } catch {
            Issue.record("\(label): \(probe): the peer's \(bytes.count) octets do not decode: \(error)")
            return
        }
        if let difference = WireLayout.describeDifference(peer: bytes, ours: message.wire) {
            Issue.record("\(label): \(probe): \(difference)")
        }
        // Also the uncompressed form must carry the same message.
        #expect((try? Message(wire: message.encoded(compress: false))) == message, "\(label): \(probe)")

        #expect(message.header.isResponse, "\(label): \(probe)")
        #expect(message.header.id == id, "\(label): \(probe)")
        #expect(message.header.rcode == probe.rcode, "\(label): \(probe): rcode \(message.header.rcode)")
        #expect(message.edns?.dnssecOK == probe.dnssec, "\(label): \(probe)")
        if let answerType = probe.answerType {
            #expect(message.answers.contains { $0.type == answerType }, "\(label): \(probe): no \(answerType) in the answer")
        } else {
            #expect(message.answers.isEmpty, "\(label): \(probe): answer not empty")
        }
        if let authorityType = probe.authorityType {
            #expect(message.authority.contains { $0.type == authorityType }, "\(label): \(probe): no \(authorityType) in authority")
        }
        if probe.denial {
            #expect(message.authority.contains { $0.type == .nsec || $0.type == .nsec3 },
                    "\(label): \(probe): no NSEC/NSEC3 proof")
        }
        if recursive {
            let secure = !(optOut && probe.insecureUnderOptOut)
            #expect(message.header.authenticData == secure, "\(label): \(probe): AD should be \(secure)\n\(logs.log)")
        } else {
            let referral = message.answers.isEmpty && message.authority.contains { $0.type == .ns }
            #expect(message.header.isAuthoritative != referral, "\(label): \(probe): AA")
        }
    }

    private func saveCapture(_ bytes: [UInt8], label: String, probe: Probe) {
        guard let folder = ProcessInfo.processInfo.environment["DANEPROBE_CAPTURE_DIR"], !folder.isEmpty else { return }
        let name = "\(label)-\(probe.name)\(probe.type)\(probe.dnssec ? "-do" : "")"
            .replacingOccurrences(of: "/", with: "_")
        try? Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
    }
}

extension PeerZoneSigner {
    var optOut: Bool {
        if case .nsec3(_, _, true) = denial { true } else { false }
    }

    /// A short file-name-safe tag, e.g. `ldns-13-nsec3-optout`.
    var tag: String {
        let denialTag = switch denial {
        case .nsec: "nsec"
        case .nsec3(_, _, let optOut): optOut ? "nsec3-optout" : "nsec3"
        }
        return "\(tool.rawValue)-\(algorithm)-\(denialTag)"
    }
}
