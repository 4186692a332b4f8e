import Crypto
import DNSCore
import Foundation

/// The NSEC3 hash of an owner name (RFC 5155 §5), with SHA-1, the only hash algorithm RFC 5155
/// §11 defines (NSEC3 hash algorithm 1).
public enum NSEC3Hash {
    /// Octets of a SHA-1 digest, the length of every NSEC3 hash of algorithm 1.
    public static let sha1Length = 20

    /// RFC 5155 §5: `IH(salt, x, 0) = H(x || salt)` and `IH(salt, x, k) = H(IH(salt, x, k-1) ||
    /// salt)` for `k > 0`; the hash of an owner name is `IH(salt, owner, iterations)`, where
    /// `owner` is the name in canonical wire form: uncompressed, every ASCII letter lowercased
    /// (RFC 4034 §6.2). So `iterations` 0 still hashes once, and each iteration costs one more
    /// SHA-1 run over 20 octets plus the salt.
    ///
    /// Pure: no budget is taken here; validators spend `ValidationWork.spendNSEC3Hash()` first
    /// (see `NSEC3Denial`).
    public static func hash(name: DomainName, salt: [UInt8], iterations: UInt16) -> [UInt8] {
        var sha = Insecure.SHA1()
        sha.update(data: name.lowercased.wire)
        sha.update(data: salt)
        var digest = Array(sha.finalize())
        for _ in 0..<iterations {
            var next = Insecure.SHA1()
            next.update(data: digest)
            next.update(data: salt)
            digest = Array(next.finalize())
        }
        return digest
    }

    /// The first label of an NSEC3 owner name: the hash in unpadded base32hex, lowercase as
    /// RFC 5155 Appendix A writes it (RFC 5155 §3; the case carries no meaning).
    public static func label(for hash: [UInt8]) -> String {
        Base32Hex.encode(hash, uppercase: false)
    }

    /// The owner name of the NSEC3 RR for `name` in `zone` (RFC 5155 §3: the hash as one label
    /// prepended to the zone name); nil only when that name would exceed 255 octets.
    public static func hashedOwnerName(of name: DomainName, zone: DomainName, salt: [UInt8], iterations: UInt16) -> DomainName? {
        try? NSEC3Hasher.owner(forHash: hash(name: name, salt: salt, iterations: iterations), zone: zone)
    }
}
