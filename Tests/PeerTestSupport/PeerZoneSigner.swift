import Foundation

/// Signs a zone file with a real peer's signer, in a folder of its own: ldns
/// (`ldns-keygen` + `ldns-signzone`) or BIND (`dnssec-keygen` + `dnssec-signzone -S`). One
/// KSK and one ZSK of the given algorithm each time, freshly generated.
package struct PeerZoneSigner: Sendable, CustomStringConvertible {
    package enum Tool: String, Sendable { case ldns, bind }

    /// How the signed zone denies existence.
    package enum Denial: Sendable, CustomStringConvertible {
        case nsec
        /// NSEC3 with a hex salt (empty: none) and extra iterations, opt-out if `optOut`.
        case nsec3(salt: String, iterations: Int, optOut: Bool)

        package var description: String {
            switch self {
            case .nsec: "NSEC"
            case .nsec3(let salt, let iterations, let optOut): "NSEC3 salt \(salt.isEmpty ? "-" : salt) iterations \(iterations)\(optOut ? " opt-out" : "")"
            }
        }
    }

    package var tool: Tool
    package var algorithm: Int
    package var denial: Denial
    /// ldns only: the signatures' inception and expiration (`YYYYMMDD`, ldns-signzone `-i` /
    /// `-e`), e.g. both in the past for an expired zone; nil for ldns' default (now, +4 weeks).
    package var validity: (inception: String, expiration: String)?

    package init(tool: Tool, algorithm: Int, denial: Denial, validity: (inception: String, expiration: String)? = nil) {
        self.tool = tool
        self.algorithm = algorithm
        self.denial = denial
        self.validity = validity
    }

    package var description: String { "\(tool.rawValue) alg \(algorithm) \(denial)" }

    /// The tools each signer needs, for `.enabled(if:)`.
    package static let ldnsTools = ["ldns-keygen", "ldns-signzone", "ldns-key2ds"]
    package static let bindTools = ["dnssec-keygen", "dnssec-signzone"]

    /// The result: the signed file and the KSK's DS record(s) in zone-file form.
    package struct Signed: Sendable {
        package var file: URL
        package var ds: String
    }

    /// Writes `zone` into `directory`, generates keys there and signs it for `origin`
    /// (absolute, with the trailing dot).
    package func sign(zone: String, origin: String, in directory: TemporaryDirectory) throws -> Signed {
        let unsigned = try directory.write(zone, to: "zone.unsigned")
        switch tool {
        case .ldns: return try signWithLDNS(unsigned, origin: origin, in: directory)
        case .bind: return try signWithBIND(unsigned, origin: origin, in: directory)
        }
    }

    private var mnemonic: String {
        switch algorithm {
        case 8: "RSASHA256"
        case 10: "RSASHA512"
        case 13: "ECDSAP256SHA256"
        case 14: "ECDSAP384SHA384"
        case 15: "ED25519"
        case 16: "ED448"
        default: String(algorithm)
        }
    }

    private var keySizeArguments: [String] { algorithm == 8 || algorithm == 10 ? ["-b", "2048"] : [] }

    private func signWithLDNS(_ unsigned: URL, origin: String, in directory: TemporaryDirectory) throws -> Signed {
        let keygen = try ExternalTool.require("ldns-keygen")
        // ldns-signzone drops a signing key's DNSKEY when another key has the same tag
        // (INTEROP.md), so make a ZSK whose tag differs from the KSK's (bounded retries).
        let ksk = try keygen.check(["-a", mnemonic] + keySizeArguments + ["-k", origin], in: directory.url).stdoutText.trimmed
        var zsk = ""
        for _ in 0..<5 {
            zsk = try keygen.check(["-a", mnemonic] + keySizeArguments + [origin], in: directory.url).stdoutText.trimmed
            if keyTag(zsk) != keyTag(ksk) { break }
        }
        var arguments: [String] = []
        if case .nsec3(let salt, let iterations, let optOut) = denial {
            arguments += ["-n", "-t", String(iterations)]
            if !salt.isEmpty { arguments += ["-s", salt] }
            if optOut { arguments.append("-p") }
        }
        if let validity { arguments += ["-i", validity.inception, "-e", validity.expiration] }
        let signed = directory.file("zone.signed")
        arguments += ["-f", signed.path, "-o", origin, unsigned.path, ksk, zsk]
        try ExternalTool.require("ldns-signzone").check(arguments, in: directory.url)
        let ds = try ExternalTool.require("ldns-key2ds").check(["-n", "-2", ksk + ".key"], in: directory.url).stdoutText
        return Signed(file: signed, ds: ds)
    }

    private func signWithBIND(_ unsigned: URL, origin: String, in directory: TemporaryDirectory) throws -> Signed {
        let keygen = try ExternalTool.require("dnssec-keygen")
        let base = ["-q", "-a", mnemonic] + keySizeArguments + ["-K", directory.path]
        let ksk = try keygen.check(base + ["-f", "KSK", origin], in: directory.url).stdoutText.trimmed
        _ = try keygen.check(base + [origin], in: directory.url)
        var arguments = ["-S", "-K", directory.path]
        if case .nsec3(let salt, let iterations, let optOut) = denial {
            arguments += ["-3", salt.isEmpty ? "-" : salt, "-H", String(iterations)]
            if optOut { arguments.append("-A") }
        }
        let signed = directory.file("zone.signed")
        arguments += ["-f", signed.path, "-o", origin, unsigned.path]
        try ExternalTool.require("dnssec-signzone").check(arguments, in: directory.url)
        let ds = try ExternalTool.find("dnssec-dsfromkey").map {
            try $0.check(["-2", ksk + ".key"], in: directory.url).stdoutText
        } ?? ""
        return Signed(file: signed, ds: ds)
    }

    /// The key tag in a key file's base name `Kname.+alg+tag`.
    private func keyTag(_ baseName: String) -> Substring? { baseName.split(separator: "+").last }
}

extension String {
    package var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
