import DNSCore
import DNSZoneFile
import Foundation
import Testing
@testable import DNSSEC

/// The two reference toolsets: ldns (ldns-keygen, ldns-signzone, ldns-verify-zone) and BIND
/// (dnssec-keygen, dnssec-signzone, dnssec-verify).
enum Toolset: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case ldns, bind

    var testDescription: String { rawValue }

    static let ldnsInstalled = Tool.installed("ldns-keygen", "ldns-signzone", "ldns-verify-zone")
    static let bindInstalled = Tool.installed("dnssec-keygen", "dnssec-signzone", "dnssec-verify")
    static let allInstalled = ldnsInstalled && bindInstalled
    static let missing = "needs ldns-utils and bind9-dnsutils/bind9-utils (ldns-keygen, ldns-signzone, ldns-verify-zone, dnssec-keygen, dnssec-signzone, dnssec-verify) on PATH"

    static func tool(_ name: String) throws -> Tool { try #require(Tool.find(name), "\(name) not installed") }

    static let mnemonic: [DNSSECAlgorithm: String] = [
        .rsaSHA256: "RSASHA256", .rsaSHA512: "RSASHA512", .ecdsaP256SHA256: "ECDSAP256SHA256",
        .ecdsaP384SHA384: "ECDSAP384SHA384", .ed25519: "ED25519",
    ]

    /// Makes a key with this toolset's keygen in `folder`; returns its base name.
    func keygen(_ algorithm: DNSSECAlgorithm, ksk: Bool, in folder: ScratchFolder) throws -> String {
        let name = try #require(Self.mnemonic[algorithm])
        // RSA: a 1,024-bit ZSK on purpose (such keys are still about, and must load).
        let bits = algorithm == .rsaSHA256 || algorithm == .rsaSHA512 ? ["-b", ksk ? "2048" : "1024"] : []
        let output: String
        switch self {
        case .ldns: output = try Self.tool("ldns-keygen").output(["-a", name] + bits + (ksk ? ["-k"] : []) + ["example."], in: folder.url)
        case .bind: output = try Self.tool("dnssec-keygen").output(["-q", "-a", name] + bits + (ksk ? ["-f", "KSK"] : []) + ["example."], in: folder.url)
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Signs `zone` (a file in `folder`) with the keys of base names `ksk` and `zsk`; returns
    /// the signed file's name.
    func sign(_ zone: String, ksk: String, zsk: String, denial: ZoneSigningOptions.Denial, in folder: ScratchFolder) throws -> String {
        let out = zone + ".\(rawValue).signed"
        switch self {
        case .ldns:
            var arguments: [String] = []
            if case .nsec3(let p) = denial {
                arguments += ["-n", "-t", "\(p.iterations)"] + (p.salt.isEmpty ? [] : ["-s", Base16.encode(p.salt)]) + (p.optOut ? ["-p"] : [])
            }
            _ = try Self.tool("ldns-signzone").output(arguments + ["-o", "example.", "-f", out, zone, ksk, zsk], in: folder.url)
        case .bind:
            // dnssec-signzone signs with the keys it finds at the apex: put them there.
            let withKeys = zone + ".keys"
            try folder.write(try folder.read(zone) + folder.read(ksk + ".key") + folder.read(zsk + ".key"), to: withKeys)
            var arguments = ["-q", "-o", "example.", "-k", ksk, "-f", out]
            if case .nsec3(let p) = denial {
                arguments += ["-3", p.salt.isEmpty ? "-" : Base16.encode(p.salt), "-H", "\(p.iterations)"] + (p.optOut ? ["-A"] : [])
            }
            _ = try Self.tool("dnssec-signzone").output(arguments + [withKeys, zsk], in: folder.url)
        }
        return out
    }

    /// Runs this toolset's zone verifier on `zone`. `singleKey`: the zone is signed with one
    /// SEP key only, which dnssec-verify accepts only with `-z` (else "Missing ZSK").
    func verify(_ zone: String, singleKey: Bool = false, in folder: ScratchFolder) throws -> Tool.Run {
        switch self {
        case .ldns: try Self.tool("ldns-verify-zone").run([zone], in: folder.url)
        case .bind: try Self.tool("dnssec-verify").run((singleKey ? ["-z"] : []) + ["-o", "example.", zone], in: folder.url)
        }
    }
}

/// Interop with ldns and BIND, against the real clock (their verifiers read it): signatures
/// from an hour ago to 30 days ahead.
@Suite(.enabled(if: Toolset.allInstalled, Comment(rawValue: Toolset.missing)))
struct SignerInteropTests {
    static let now = Int64(Date().timeIntervalSince1970)
    static let algorithms = AlgorithmPolicy.signingAlgorithms
    static let denials: [ZoneSigningOptions.Denial] = [.nsec, .nsec3(.init()), .nsec3(.init(salt: [0xBE, 0xEF], iterations: 3, optOut: true))]

    /// A minute from now: after the inception ldns-signzone gives (the moment it signs).
    static var checkTime: Int64 { Int64(Date().timeIntervalSince1970) + 60 }

    static func options(_ denial: ZoneSigningOptions.Denial) -> ZoneSigningOptions {
        ZoneSigningOptions(denial: denial, inception: SignatureTime.serial(now - 3600), expiration: SignatureTime.serial(now + 30 * 86_400))
    }

    static func load(_ base: String, in folder: ScratchFolder) throws -> DNSSECSigningKey {
        try BINDKeyFile.Pair.parse(publicText: folder.read(base + ".key"), publicFile: base + ".key",
                                   privateText: folder.read(base + ".private"), privateFile: base + ".private").key
    }

    static func parse(_ file: String, in folder: ScratchFolder) throws -> [ResourceRecord] {
        let result = ZoneFileLoader.parse(file: folder.url.appendingPathComponent(file).path, origin: "example.")
        #expect(result.errors.isEmpty, "\(result.errors)")
        return result.records
    }

    /// Keys made by ldns-keygen and dnssec-keygen load, and the zones we sign with them pass
    /// both ldns-verify-zone and dnssec-verify.
    @Test(arguments: Toolset.allCases, algorithms)
    func toolKeysSignZonesTheVerifiersAccept(_ toolset: Toolset, _ algorithm: DNSSECAlgorithm) throws {
        let folder = try ScratchFolder("keys-\(toolset)")
        defer { folder.remove() }
        let keys = try [toolset.keygen(algorithm, ksk: true, in: folder), toolset.keygen(algorithm, ksk: false, in: folder)]
            .map { try Self.load($0, in: folder) }
        for (index, denial) in Self.denials.enumerated() {
            let zone = try ZoneSigner(apex: TestZones.apex, keys: keys, options: Self.options(denial)).sign(TestZones.records())
            let file = "ours-\(index).zone"
            try folder.write(ZoneFilePrinter.print(zone.records), to: file)
            for verifier in Toolset.allCases {
                let run = try verifier.verify(file, in: folder)
                #expect(run.status == 0, "\(denial): \(run)")
            }
        }
    }

    /// One SEP key signing everything is a zone both verifiers accept too (dnssec-verify
    /// with `-z`: without it, BIND wants a ZSK beside the KSK).
    @Test(arguments: algorithms)
    func singleKeyZonesAreAccepted(_ algorithm: DNSSECAlgorithm) throws {
        let folder = try ScratchFolder("single")
        defer { folder.remove() }
        let key = try #require(TestZones.keyPairs[algorithm]?.first)
        let zone = try ZoneSigner(apex: TestZones.apex, keys: [key], options: Self.options(.nsec3(.init()))).sign(TestZones.records())
        try folder.write(ZoneFilePrinter.print(zone.records), to: "single.zone")
        for verifier in Toolset.allCases {
            let run = try verifier.verify("single.zone", singleKey: true, in: folder)
            #expect(run.status == 0, "\(run)")
        }
    }

    /// Zones signed by ldns-signzone and dnssec-signzone pass our signature and chain checks.
    @Test(arguments: Toolset.allCases, algorithms)
    func toolSignedZonesPassOurChecks(_ toolset: Toolset, _ algorithm: DNSSECAlgorithm) throws {
        let folder = try ScratchFolder("signed-\(toolset)")
        defer { folder.remove() }
        try folder.write(TestZones.text, to: "zone")
        let ksk = try toolset.keygen(algorithm, ksk: true, in: folder), zsk = try toolset.keygen(algorithm, ksk: false, in: folder)
        for denial in Self.denials {
            let signed = try toolset.sign("zone", ksk: ksk, zsk: zsk, denial: denial, in: folder)
            let records = try Self.parse(signed, in: folder)
            #expect(TestZones.problems(records, at: Self.checkTime) == [], "\(toolset) \(denial)")
            let chain = ZoneChainCheck(apex: TestZones.apex).check(records).chain
            if case .nsec3 = denial { #expect(chain != .nsec && chain != .none) } else { #expect(chain == .nsec) }
        }
    }

    /// Key files we write load in ldns-signzone and dnssec-signzone, whose zones their
    /// verifiers (and we) accept.
    @Test(arguments: Toolset.allCases, algorithms)
    func ourKeyFilesLoadInTheirSigners(_ toolset: Toolset, _ algorithm: DNSSECAlgorithm) throws {
        let folder = try ScratchFolder("ours-\(toolset)")
        defer { folder.remove() }
        try folder.write(TestZones.text, to: "zone")
        var bases: [String] = []
        for key in try #require(TestZones.keyPairs[algorithm]) {
            let pair = BINDKeyFile.Pair(owner: TestZones.apex, key: key)
            try folder.write(pair.publicText(created: SignatureTime.serial(Self.now - 7200)), to: pair.baseName + ".key")
            try folder.write(pair.privateText(created: SignatureTime.serial(Self.now - 7200)), to: pair.baseName + ".private")
            bases.append(pair.baseName)
        }
        let signed = try toolset.sign("zone", ksk: bases[0], zsk: bases[1], denial: .nsec3(.init()), in: folder)
        let run = try toolset.verify(signed, in: folder)
        #expect(run.status == 0, "\(run)")
        let records = try Self.parse(signed, in: folder)
        #expect(TestZones.problems(records, at: Self.checkTime) == [])
        // They signed with our keys: every RRSIG names one of them.
        let tags = Set(try #require(TestZones.keyPairs[algorithm]).map(\.keyTag))
        let used = Set(records.compactMap { $0.rdata.as(RRSIG.self)?.keyTag })
        #expect(used == tags)
    }
}
