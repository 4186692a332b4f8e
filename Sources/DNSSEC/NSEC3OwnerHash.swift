import Crypto
import DNSCore

/// The NSEC3 hash of an owner name (RFC 5155 §5): with H = SHA-1 (hash algorithm 1, the only
/// one defined), IH(salt, x, 0) = H(x ‖ salt) and IH(salt, x, k) = H(IH(salt, x, k−1) ‖ salt),
/// where x is the owner name in canonical wire form (RFC 4034 §6.2: lowercased, uncompressed)
/// and the result is IH(salt, x, iterations).
public enum NSEC3OwnerHash {
    public static func hash(_ name: DomainName, salt: [UInt8], iterations: UInt16) -> [UInt8] {
        var input = name.lowercased.wire
        input.append(contentsOf: salt)
        var digest = Array(Insecure.SHA1.hash(data: input))
        if iterations == 0 { return digest }
        var buffer = [UInt8]()
        buffer.reserveCapacity(digest.count + salt.count)
        for _ in 0..<iterations {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: digest)
            buffer.append(contentsOf: salt)
            digest = Array(Insecure.SHA1.hash(data: buffer))
        }
        return digest
    }
}
