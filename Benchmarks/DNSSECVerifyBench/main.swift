// Verification rate of RRSetVerifier on ECDSA P-256 RRsets, beside the raw P-256 verify rate
// of the same library, for Benchmarks/dnssec-verify.sh (which adds `openssl speed`).
// Not a test: it measures, it asserts nothing.
import Crypto
import DNSCore
import DNSSEC
import Foundation

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "5") ?? 5
let zone: DomainName = "example."
let key = try DNSSECSigningKey.generate(algorithm: .ecdsaP256SHA256)
let keys = ZoneKeySet(zone: zone, keys: [key.dnskey])
let inception: UInt32 = 1_704_067_200
let now = Int64(inception) + 3600

// 1,000 distinct RRsets of two A records, each with its RRSIG.
var sets: [(RRSet, RRSIG)] = []
for i in 0..<1000 {
    let owner = try DomainName(parsing: "host\(i).example.")
    let set = RRSet(owner: owner, type: .a, ttl: 300, rdatas: [
        RData(A(IPv4Address(10, 0, UInt8(i / 256), UInt8(i % 256)))), RData(A(IPv4Address(10, 1, UInt8(i / 256), UInt8(i % 256)))),
    ])
    var rrsig = RRSIG(typeCovered: .a, algorithm: key.algorithm, labels: 2, originalTTL: 300, expiration: inception + 86_400,
                      inception: inception, keyTag: key.keyTag, signerName: zone, signature: [])
    rrsig.signature = try key.sign(rrsig.signedFieldsWire + set.canonicalWire(ttl: 300))
    sets.append((set, rrsig))
}

func rate(_ label: String, _ body: () -> Bool) -> Double {
    var count = 0
    let start = Date()
    var elapsed = 0.0
    repeat {
        for _ in 0..<100 where body() { count += 1 }
        elapsed = Date().timeIntervalSince(start)
    } while elapsed < seconds
    let perSecond = Double(count) / elapsed
    print("\(label)\t\(Int(perSecond))")
    return perSecond
}

let verifier = RRSetVerifier(now: now)
var index = 0
let full = rate("rrset-verify/s") {
    let (set, rrsig) = sets[index % sets.count]
    index += 1
    var work = ValidationWork()
    return verifier.verify(set, signatures: [rrsig], keys: keys, work: &work).status == .secure
}

// The same signatures through swift-crypto alone: no canonical form, no checks.
let publicKey = try P256.Signing.PublicKey(rawRepresentation: key.dnskey.publicKey)
let prepared = sets.map { set, rrsig in
    (try! P256.Signing.ECDSASignature(rawRepresentation: rrsig.signature), rrsig.signedFieldsWire + set.canonicalWire(ttl: 300))
}
index = 0
let raw = rate("raw-p256-verify/s") {
    let (signature, data) = prepared[index % prepared.count]
    index += 1
    return publicKey.isValidSignature(signature, for: data)
}
print("rrset/raw\t\(String(format: "%.2f", full / raw))")
