import ArgumentParser
import DNSCore
import DNSSEC
import DNSZoneFile
import Foundation

struct ZoneSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a zone file with DNSSEC (NSEC or NSEC3), like dnssec-signzone.",
        discussion: """
        Keys are BIND/ldns key files (K<zone>+<alg>+<tag>.key and .private) in --keys: all of \
        the zone's keys there are used, and missing ones are made and written there (a KSK \
        and a ZSK, or with --single-key one key with the SEP flag that signs everything). The \
        KSK signs the DNSKEY RRset, the ZSK everything else. Existing RRSIG, NSEC, NSEC3 and \
        NSEC3PARAM records are replaced. The signed zone goes to -o (default FILE.signed; - \
        for standard output), the DS records for the parent to standard error and, unless the \
        zone goes to standard output, to dsset-<zone> beside it, as dnssec-signzone writes them.

        TIME: \(TimeArgument.help).
        """
    )

    @OptionGroup var zone: ZoneFileOptions

    @Option(help: "Algorithm of keys to make and sign with: 8 (RSASHA256), 10 (RSASHA512), 13 (ECDSAP256SHA256), 14 (ECDSAP384SHA384), 15 (ED25519). Default: the algorithms of the keys in --keys, else 13.")
    var algorithm: UInt8?

    @Option(help: "RSA key size in bits for keys made here (1024 to 4096).")
    var bits = 2048

    @Flag(help: "Deny existence with NSEC3 (RFC 5155) instead of NSEC.")
    var nsec3 = false

    @Option(help: ArgumentHelp("NSEC3 salt in hex, or - for none (RFC 9276: none).", valueName: "HEX|-"))
    var salt = "-"

    @Option(help: "NSEC3 extra iterations (RFC 9276: 0).")
    var iterations: UInt16 = 0

    @Flag(help: "NSEC3 Opt-Out: leave insecure delegations out of the chain (RFC 5155 §6).")
    var optOut = false

    @Option(help: ArgumentHelp("Folder of the zone's key files; missing keys are made there.", valueName: "DIR"))
    var keys = "."

    @Flag(help: "Make one key with the SEP flag that signs everything, instead of a KSK and a ZSK.")
    var singleKey = false

    @Option(help: ArgumentHelp("Signature inception. Default: an hour ago.", valueName: "TIME"))
    var inception: String?

    @Option(help: ArgumentHelp("Signature expiration. Default: now+30d.", valueName: "TIME"))
    var expiration: String?

    @Option(help: ArgumentHelp("Take up to this many seconds off each RRset's expiration, at random.", valueName: "SECONDS"))
    var jitter: UInt32 = 0

    @Option(help: "Threads to sign on. Default: one per core.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customShort("o"), help: ArgumentHelp("Where to write the signed zone (- for standard output).", valueName: "OUT"))
    var output: String?

    func validate() throws {
        if let algorithm, !AlgorithmPolicy.signingAlgorithms.contains(DNSSECAlgorithm(algorithm)) {
            throw ValidationError("--algorithm \(algorithm): use 8, 10, 13, 14 or 15")
        }
        if !nsec3, salt != "-" || iterations != 0 || optOut {
            throw ValidationError("--salt, --iterations and --opt-out need --nsec3")
        }
        if salt != "-", Base16.decode(Array(salt.utf8)) == nil || salt.count > 510 {
            throw ValidationError("--salt \"\(salt)\" is not hex of at most 255 octets, nor -")
        }
        if !(1024...4096).contains(bits) { throw ValidationError("--bits \(bits): use 1024 to 4096") }
        if threads < 1 { throw ValidationError("--threads \(threads): use 1 or more") }
    }

    func run() async throws {
        let now = TimeArgument.now
        let parsed = ZoneFileLoader.parse(file: zone.file, origin: try zone.parsedOrigin(), allowInclude: zone.allowInclude)
        for error in parsed.errors { printError(error.description) }
        if !parsed.errors.isEmpty { throw ExitCode(1) }
        let apex = try zone.apex(of: parsed)
        var options = ZoneSigningOptions(
            denial: nsec3 ? .nsec3(.init(salt: Base16.decode(Array(salt.utf8)) ?? [], iterations: iterations, optOut: optOut)) : .nsec,
            inception: SignatureTime.serial(try time(inception, "--inception", default: now - 3600, now: now)),
            expiration: SignatureTime.serial(try time(expiration, "--expiration", default: now + 30 * 86_400, now: now)),
            jitter: jitter, jitterSeed: UInt64.random(in: .min ... .max))
        let (keys, keyTTL) = try signingKeys(for: apex, now: now)
        options.dnskeyTTL = keyTTL
        let signed: SignedZone
        do {
            signed = try ZoneSigner(apex: apex, keys: keys, options: options, concurrency: threads).sign(parsed.records)
        } catch {
            printError("\(zone.file): \(error)")
            throw ExitCode(1)
        }

        let destination = output ?? zone.file + ".signed"
        try write(ZoneFilePrinter.print(signed.records), to: destination)
        let dsText = ZoneFilePrinter.print(signed.ds)
        var dsset = "standard error"
        if destination != "-" {
            let folder = (destination as NSString).deletingLastPathComponent
            dsset = (folder.isEmpty ? "" : folder + "/") + "dsset-\(apex)"
            try write(dsText, to: dsset)
        }
        writeAll(2, Array(dsText.utf8))
        let denial = nsec3 ? "NSEC3" : "NSEC"
        printError("\(zone.file): signed \(apex) with \(keys.count) key\(keys.count == 1 ? "" : "s"): \(signed.records.count) records, \(signed.signatureCount) signatures, \(signed.denialRecordCount) \(denial) → \(destination == "-" ? "standard output" : destination), DS in \(dsset)")
    }

    /// The zone's keys in --keys, with the missing ones made and written there, and the
    /// lowest TTL their key files give (`dnssec-keygen -L`), for the DNSKEY RRset.
    func signingKeys(for apex: DomainName, now: Int64) throws -> (keys: [DNSSECSigningKey], ttl: UInt32?) {
        let directory = KeyDirectory(path: keys)
        let existing: [BINDKeyFile.Pair]
        do {
            existing = try directory.load(zone: apex)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        var algorithms: [DNSSECAlgorithm] = []
        if let algorithm {
            algorithms = [DNSSECAlgorithm(algorithm)]
        } else {
            for pair in existing where !algorithms.contains(pair.key.algorithm) { algorithms.append(pair.key.algorithm) }
            if algorithms.isEmpty { algorithms = [.ecdsaP256SHA256] }
        }
        let used = existing.filter { algorithms.contains($0.key.algorithm) }
        var chosen = used.map(\.key)
        for algorithm in algorithms {
            let present = chosen.filter { $0.algorithm == algorithm }
            var wanted: [UInt16] = []
            if singleKey {
                if present.isEmpty { wanted = [DNSSECSigningKey.keySigningFlags] }
            } else {
                if !present.contains(where: \.isKeySigningKey) { wanted.append(DNSSECSigningKey.keySigningFlags) }
                if !present.contains(where: { !$0.isKeySigningKey }) { wanted.append(DNSSECSigningKey.zoneSigningFlags) }
            }
            for flags in wanted {
                let key = try newKey(algorithm, flags: flags, avoiding: chosen)
                do {
                    let base = try directory.write(BINDKeyFile.Pair(owner: apex, key: key), created: SignatureTime.serial(now))
                    printError("made \(key.isKeySigningKey ? "KSK" : "ZSK") \(base)")
                } catch {
                    printError(error.description)
                    throw ExitCode(1)
                }
                chosen.append(key)
            }
        }
        return (chosen, used.compactMap(\.ttl).min())
    }

    /// A new key whose tag no other key of its algorithm has.
    func newKey(_ algorithm: DNSSECAlgorithm, flags: UInt16, avoiding others: [DNSSECSigningKey]) throws -> DNSSECSigningKey {
        while true {
            let key: DNSSECSigningKey
            do {
                key = try DNSSECSigningKey.generate(algorithm: algorithm, flags: flags, rsaBits: bits)
            } catch {
                printError("cannot make a key: \(error)")
                throw ExitCode(1)
            }
            if !others.contains(where: { $0.algorithm == algorithm && $0.keyTag == key.keyTag }) { return key }
        }
    }

    func time(_ text: String?, _ option: String, default fallback: Int64, now: Int64) throws -> Int64 {
        guard let text else { return fallback }
        guard let value = TimeArgument.parse(text, now: now) else {
            throw ValidationError("\(option) \"\(text)\": use \(TimeArgument.help)")
        }
        return value
    }

    func write(_ text: String, to path: String) throws {
        if path == "-" {
            var out = StandardOutput()
            out.write(text)
            out.flush()
            return
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError("\(path): cannot write: \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
