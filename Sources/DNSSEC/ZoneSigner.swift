import DNSCore
import Dispatch
import Synchronization

/// Signs a zone (RFC 4035 §2): adds the keys' DNSKEY RRset at the apex, an NSEC chain
/// (RFC 4035 §2.3) or an NSEC3 chain with NSEC3PARAM (RFC 5155 §7.1), and an RRSIG over every
/// authoritative RRset (RFC 4035 §2.2); RRSIG, NSEC, NSEC3 and NSEC3PARAM records in the input
/// are dropped and made anew. A pure function of records, keys and options: the time is in the
/// options, and the only randomness is the ECDSA nonce (see `DNSSECSigningKey`).
public struct ZoneSigner: Sendable {
    public var apex: DomainName
    public var keys: [DNSSECSigningKey]
    public var options: ZoneSigningOptions
    /// Threads to make signatures on (the output does not depend on it).
    public var concurrency: Int

    public init(apex: DomainName, keys: [DNSSECSigningKey], options: ZoneSigningOptions, concurrency: Int = 1) {
        self.apex = apex
        self.keys = keys
        self.options = options
        self.concurrency = concurrency
    }

    /// Which keys sign what, per algorithm, since RFC 4035 §2.2 wants every RRset signed by
    /// each algorithm in the apex DNSKEY RRset: the key-signing keys (SEP flag) of an
    /// algorithm sign the DNSKEY RRset and its zone-signing keys everything else; an
    /// algorithm with keys of only one kind signs everything with those (a "single SEP key"
    /// zone, or ZSKs only).
    struct KeyRoles {
        var dnskeySigners: [DNSSECSigningKey] = []
        var dataSigners: [DNSSECSigningKey] = []

        init(_ keys: [DNSSECSigningKey]) {
            var algorithms: [DNSSECAlgorithm] = []
            for key in keys where !algorithms.contains(key.algorithm) { algorithms.append(key.algorithm) }
            for algorithm in algorithms {
                let ksks = keys.filter { $0.algorithm == algorithm && $0.isKeySigningKey }
                let zsks = keys.filter { $0.algorithm == algorithm && !$0.isKeySigningKey }
                dnskeySigners += ksks.isEmpty ? zsks : ksks
                dataSigners += zsks.isEmpty ? ksks : zsks
            }
        }
    }

    public func sign(_ records: [ResourceRecord]) throws(ZoneSigningError) -> SignedZone {
        try checkInputs()
        var kept: [ResourceRecord] = []
        kept.reserveCapacity(records.count)
        for record in records {
            guard record.owner.isSubdomain(of: apex) else {
                throw ZoneSigningError(.outOfZone, "\(record.owner) \(record.type) is outside the zone \(apex)")
            }
            switch record.type {
            case .rrsig, .nsec, .nsec3, .nsec3param: continue
            default: kept.append(record)
            }
        }
        var layout = ZoneLayout(apex: apex, sets: RRSet.group(kept))
        guard let soaSet = layout.set(apex, .soa), let soa = soaSet.rdatas.first?.as(SOA.self) else {
            throw ZoneSigningError(.noSOA, "no SOA record at the apex \(apex)")
        }

        var dnskeys = layout.set(apex, .dnskey) ?? RRSet(owner: apex, type: .dnskey, ttl: options.dnskeyTTL ?? soaSet.ttl, rdatas: [])
        for key in keys where !dnskeys.rdatas.contains(RData(key.dnskey)) { dnskeys.rdatas.append(RData(key.dnskey)) }
        layout.replace(dnskeys)

        let denialTTL = options.denialTTL ?? min(soa.minimum, soaSet.ttl)
        let denialCount: Int
        switch options.denial {
        case .nsec: denialCount = addNSECChain(to: &layout, ttl: denialTTL)
        case .nsec3(let parameters): denialCount = try addNSEC3Chain(to: &layout, parameters, ttl: denialTTL)
        }

        // Lay out the output with unsigned RRSIGs in place, then make the signatures (the
        // costly part, spread over `concurrency` threads) and put them in.
        var output: [ResourceRecord] = []
        output.reserveCapacity(kept.count * 2 + denialCount * 2)
        var jobs: [SignatureJob] = []
        let roles = KeyRoles(keys)
        var jitter = SplitMix64(seed: options.jitterSeed)
        for name in layout.canonicalNames {
            let role = layout.role(of: name)
            for set in (layout.sets[name] ?? []).sorted(by: { $0.type < $1.type }) {
                let set = Self.deduplicated(set)
                output += set.records
                guard Self.isSigned(set.type, at: role) else { continue }
                let expiration = options.jitter == 0
                    ? options.expiration
                    : options.expiration &- UInt32(jitter.next() % (UInt64(options.jitter) + 1))
                for key in set.type == .dnskey && name == apex ? roles.dnskeySigners : roles.dataSigners {
                    let rrsig = unsignedRRSIG(over: set, by: key, expiration: expiration)
                    jobs.append(SignatureJob(index: output.count, set: set, key: key, rrsig: rrsig))
                    output.append(ResourceRecord(owner: name, rrClass: set.rrClass, ttl: set.ttl, rrsig))
                }
            }
        }
        for (job, signature) in zip(jobs, try signatures(for: jobs)) {
            var rrsig = job.rrsig
            rrsig.signature = signature
            output[job.index].rdata = RData(rrsig)
        }

        let sepKeys = keys.filter(\.isKeySigningKey)
        var ds: [ResourceRecord] = []
        for key in sepKeys.isEmpty ? keys : sepKeys {
            for type in options.dsDigestTypes {
                if let record = DSDigest.ds(for: key.dnskey, owner: apex, type: type) {
                    ds.append(ResourceRecord(owner: apex, ttl: dnskeys.ttl, record))
                }
            }
        }
        return SignedZone(records: output, ds: ds, signatureCount: jobs.count, denialRecordCount: denialCount)
    }

    private func checkInputs() throws(ZoneSigningError) {
        guard !keys.isEmpty else { throw ZoneSigningError(.noKeys, "no signing keys") }
        var seen = Set<[UInt16]>()
        for key in keys where !seen.insert([UInt16(key.algorithm.rawValue), key.keyTag]).inserted {
            throw ZoneSigningError(.keyTagCollision, "two keys of algorithm \(key.algorithm.rawValue) have key tag \(key.keyTag)")
        }
        let window = SignatureTime.offset(of: options.expiration, from: options.inception)
        guard window > 0 else {
            throw ZoneSigningError(.badValidity, "expiration \(DNSSECTime.format(options.expiration)) is not after inception \(DNSSECTime.format(options.inception))")
        }
        guard Int64(options.jitter) < window else {
            throw ZoneSigningError(.badValidity, "jitter of \(options.jitter) s is not shorter than the validity window of \(window) s")
        }
        if case .nsec3(let parameters) = options.denial, parameters.salt.count > 255 {
            throw ZoneSigningError(.badNSEC3Parameters, "NSEC3 salt of \(parameters.salt.count) octets is over 255")
        }
    }

    /// RFC 4035 §2.2: every authoritative RRset is signed; at a delegation point only DS and
    /// NSEC are (the NS RRset and glue are the child's); below a cut or a DNAME nothing is.
    static func isSigned(_ type: RRType, at role: ZoneLayout.Role) -> Bool {
        switch role {
        case .apex, .authoritative: type != .rrsig
        case .delegation: type == .ds || type == .nsec
        case .occluded: false
        }
    }

    /// The set with duplicate RDATA (equal in canonical form, RFC 4034 §6.3) removed, as it is
    /// signed.
    static func deduplicated(_ set: RRSet) -> RRSet {
        guard set.rdatas.count > 1 else { return set }
        var seen = Set<[UInt8]>()
        var copy = set
        copy.rdatas = set.rdatas.filter { seen.insert($0.canonicalWire).inserted }
        return copy
    }

    /// The RRSIG fields for `set` (RFC 4034 §3.1): Labels without a leading `*` (§3.1.3), the
    /// set's TTL as Original TTL, the apex as signer; the signature still empty.
    func unsignedRRSIG(over set: RRSet, by key: DNSSECSigningKey, expiration: UInt32) -> RRSIG {
        RRSIG(typeCovered: set.type, algorithm: key.algorithm, labels: UInt8(set.owner.rrsigLabelCount),
              originalTTL: set.ttl, expiration: expiration, inception: options.inception,
              keyTag: key.keyTag, signerName: apex, signature: [])
    }

    static func sign(_ job: SignatureJob) -> Result<[UInt8], DNSSECSigningKey.Problem> {
        Result { () throws(DNSSECSigningKey.Problem) in
            try job.key.sign(job.rrsig.signedFieldsWire + job.set.canonicalWire(ttl: job.set.ttl))
        }
    }

    struct SignatureJob: Sendable {
        /// Where the RRSIG goes in the output.
        var index: Int
        var set: RRSet
        var key: DNSSECSigningKey
        var rrsig: RRSIG
    }

    /// Each job's signature over the RRSIG fields and the set in canonical form and order
    /// (RFC 4034 §3.1.8.1), in job order; split into chunks over `concurrency` threads.
    func signatures(for jobs: [SignatureJob]) throws(ZoneSigningError) -> [[UInt8]] {
        let results: [Result<[UInt8], DNSSECSigningKey.Problem>]
        let chunks = concurrency > 1 ? min(jobs.count, concurrency * 16) : 1
        if chunks <= 1 {
            results = jobs.map(Self.sign)
        } else {
            let slots = Mutex([[Result<[UInt8], DNSSECSigningKey.Problem>]](repeating: [], count: chunks))
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let range = (chunk * jobs.count / chunks)..<((chunk + 1) * jobs.count / chunks)
                let signed = jobs[range].map(Self.sign)
                slots.withLock { $0[chunk] = signed }
            }
            results = slots.withLock { $0.flatMap { $0 } }
        }
        var signatures: [[UInt8]] = []
        signatures.reserveCapacity(jobs.count)
        for (job, result) in zip(jobs, results) {
            switch result {
            case .success(let signature): signatures.append(signature)
            case .failure(let problem): throw ZoneSigningError(.signingFailed, "\(job.set.owner) \(job.set.type): \(problem)")
            }
        }
        return signatures
    }
}
