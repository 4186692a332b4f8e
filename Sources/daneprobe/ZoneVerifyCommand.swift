import ArgumentParser
import DNSCore
import DNSSEC
import DNSZoneFile

struct ZoneVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a signed zone file: every RRset's signatures and the NSEC/NSEC3 chain.",
        discussion: """
        Like ldns-verify-zone and dnssec-verify: every authoritative RRset must have a valid \
        RRSIG (RFC 4035 §5.3) at the given time, made with a key of the zone's own apex \
        DNSKEY RRset, and the NSEC chain (RFC 4035 §2.3) or NSEC3 chain (RFC 5155 §7.1) must \
        cover every name with the right type bitmaps. Trust: without --trust-anchor the apex \
        DNSKEY RRset is taken as its own trust anchor, so this checks that the zone is \
        consistently signed; with --trust-anchor FILE (DS or DNSKEY records for the apex in \
        zone-file form, e.g. the dsset the signer wrote) the DNSKEY RRset must also be \
        signed by a key that an anchor names (RFC 4035 §5.2).

        Exit status 0 when everything verifies; 1 with each failure on standard error, \
        naming the owner, the type and the rule (RFC section) it breaks.

        TIME: \(TimeArgument.help).
        """
    )

    @OptionGroup var zone: ZoneFileOptions

    @Option(help: ArgumentHelp("Validate as of this moment. Default: now.", valueName: "TIME"))
    var at: String?

    @Option(help: ArgumentHelp("DS or DNSKEY records for the zone apex (zone-file form) that its DNSKEY RRset must chain to.", valueName: "FILE"))
    var trustAnchor: String?

    func run() async throws {
        let parsed = ZoneFileLoader.parse(file: zone.file, origin: try zone.parsedOrigin(), allowInclude: zone.allowInclude)
        for error in parsed.errors { printError(error.description) }
        if !parsed.errors.isEmpty { throw ExitCode(1) }
        let apex = try zone.apex(of: parsed)
        let now = TimeArgument.now
        var moment = now
        if let at {
            guard let value = TimeArgument.parse(at, now: now) else { throw ValidationError("--at \"\(at)\": use \(TimeArgument.help)") }
            moment = value
        }

        var failures = 0
        if let trustAnchor {
            let anchorFile = ZoneFileLoader.parse(file: trustAnchor, origin: apex)
            for error in anchorFile.errors { printError(error.description) }
            if !anchorFile.errors.isEmpty { throw ExitCode(1) }
            let anchors = TrustAnchorSet(records: anchorFile.records)
            guard anchors.anchors[apex] != nil else {
                throw ValidationError("--trust-anchor \(trustAnchor) has no DS or DNSKEY record for the zone apex \(apex)")
            }
            var work = ValidationWork()
            let chain = ChainEvaluator(anchors: anchors, now: moment)
                .evaluate(ChainEvidence(anchorKeys: SignedRRSet(owner: apex, type: .dnskey, from: parsed.records)), for: apex, work: &work)
            if chain.status != .secure {
                failures += 1
                for reason in chain.reasons where reason.code != .signatureVerified { printError(reason.description) }
                printError("\(apex) DNSKEY RRset is \(chain.status) under the trust anchors of \(trustAnchor)")
            }
        }
        let signatures = ZoneSignatureCheck(apex: apex, now: moment).check(parsed.records)
        for finding in signatures where finding.verification.status != .secure {
            failures += 1
            // Each reason names the RRset (and the RRSIG) it is about.
            for reason in finding.verification.reasons where reason.code != .signatureVerified {
                printError(reason.description)
            }
        }
        let chain = ZoneChainCheck(apex: apex).check(parsed.records)
        for finding in chain.findings {
            failures += 1
            printError(finding.description)
        }
        if failures > 0 {
            printError("\(zone.file): \(apex): \(failures) failure\(failures == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        let keyTags = Set(signatures.compactMap { $0.verification.rrsig?.keyTag }).sorted().map(String.init).joined(separator: ", ")
        let chainText = switch chain.chain {
        case .nsec: "NSEC chain of \(chain.recordCount) records complete"
        case .nsec3(let param): "NSEC3 chain of \(chain.recordCount) records complete (\(param.iterations) iterations, salt \(param.salt.isEmpty ? "-" : Base16.encode(param.salt, uppercase: false)))"
        case .none: "no denial chain"
        }
        print("\(zone.file): \(apex): \(signatures.count) RRsets verified with DNSKEY \(keyTags) as of \(DNSSECTime.format(SignatureTime.serial(moment))); \(chainText)")
    }
}
