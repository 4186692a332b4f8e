import DNSCore
import DNSSEC
import DNSZoneFile
import Testing

/// Every `H(name) = hash` comment of a vector file: the RFC's own list of hashes (RFC 5155
/// App. A lists them in the zone's header; App. B next to each proof). A comment may continue
/// on the next comment line.
private func hashComments(_ path: String) throws -> [(name: String, hash: String)] {
    let text = try DenialVectors.text(path)
    let comments = text.split(separator: "\n").filter { $0.hasPrefix(";") }
        .map { $0.drop(while: { $0 == ";" }) }
        .joined(separator: " ")
    let pattern = /H\(([^)]+)\)\s*=\s*([0-9a-v]{32})/
    return comments.matches(of: pattern).map { (String($0.output.1), String($0.output.2)) }
}

private let appendixSalt: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD]

@Suite("RFC 5155 §5: the NSEC3 hash")
struct RFC5155_5_HashTests {
    @Test("every H(...) of RFC 5155 App. A", arguments: try hashComments("rfc5155/appendix-A.zone").map { "\($0.name)=\($0.hash)" })
    func appendixA(_ pair: String) throws {
        try checkPair(pair)
    }

    @Test("every H(...) of RFC 5155 App. B", arguments: try hashComments("rfc5155/appendix-B-responses.txt").map { "\($0.name)=\($0.hash)" })
    func appendixB(_ pair: String) throws {
        try checkPair(pair)
    }

    private func checkPair(_ pair: String) throws {
        let parts = pair.split(separator: "=")
        let name = try DomainName(parsing: String(parts[0]), origin: .root)
        let hash = NSEC3Hash.hash(name: name, salt: appendixSalt, iterations: 12)
        #expect(NSEC3Hash.label(for: hash) == String(parts[1]))
        #expect(hash.count == NSEC3Hash.sha1Length)
    }

    @Test("the vector files list all the hashes the RFC gives")
    func hashCounts() throws {
        #expect(try hashComments("rfc5155/appendix-A.zone").count == 12)
        #expect(try hashComments("rfc5155/appendix-B-responses.txt").count == 9)
    }

    /// Every name of the App. A zone, empty non-terminals included (RFC 5155 §7.1), hashes to
    /// the owner of one of its NSEC3 records, and every NSEC3 owner is such a hash.
    @Test("App. A: the hashed names of the zone are exactly its NSEC3 owners")
    func appendixAZoneOwners() throws {
        let parsed = ZoneFileParser(origin: "example.").parse(text: try DenialVectors.text("rfc5155/appendix-A.zone"))
        #expect(parsed.errors.isEmpty)
        let zone: DomainName = "example."
        let nsec3Owners = Set(parsed.records.filter { $0.type == .nsec3 }.map(\.owner))
        var names = Set<DomainName>()
        for record in parsed.records where record.type != .nsec3 && record.type != .rrsig {
            var name: DomainName? = record.owner
            while let current = name, current.isSubdomain(of: zone) {
                names.insert(current)
                name = current.parent
            }
        }
        // Names below the zone cut at a.example (glue) have no NSEC3, nor the unsigned delegation
        // c.example and its glue (Opt-Out, RFC 5155 §6).
        names = names.filter { !$0.isStrictSubdomain(of: "a.example.") && !$0.isSubdomain(of: "c.example.") }
        let hashed = Set(names.map { NSEC3Hash.hashedOwnerName(of: $0, zone: zone, salt: appendixSalt, iterations: 12)! })
        #expect(nsec3Owners.count == 12)
        #expect(hashed == nsec3Owners)
    }

    /// Values computed independently (Python `hashlib.sha1` over the wire form, the same
    /// iteration), for parameters App. A does not use.
    @Test("zero iterations and an empty salt still hash once; 2500 iterations")
    func otherParameters() {
        #expect(Base16.encode(NSEC3Hash.hash(name: "example.", salt: [], iterations: 0), uppercase: false)
            == "1db8efa7dcb348bda7893fca1d8badfdb6996b01")
        #expect(NSEC3Hash.label(for: NSEC3Hash.hash(name: "example.", salt: [], iterations: 0)) == "3msev9usmd4br9s97v51r2tdvmr9iqo1")
        #expect(Base16.encode(NSEC3Hash.hash(name: "example.", salt: appendixSalt, iterations: 0), uppercase: false)
            == "6b452789c6451ac63cc30a04e7187cefb8db4e4c")
        #expect(Base16.encode(NSEC3Hash.hash(name: "www.example.com.", salt: [], iterations: 2500), uppercase: false)
            == "9d5e08c14bfe0e66ded6b1d19518648c9b2cac31")
    }

    @Test("the name is hashed in canonical form: case does not matter (RFC 4034 §6.2)")
    func canonicalCase() {
        #expect(NSEC3Hash.hash(name: "X.W.Example.", salt: appendixSalt, iterations: 12)
            == NSEC3Hash.hash(name: "x.w.example.", salt: appendixSalt, iterations: 12))
        #expect(NSEC3Hash.label(for: NSEC3Hash.hash(name: "X.W.EXAMPLE.", salt: appendixSalt, iterations: 12)) == "b4um86eghhds6nea196smvmlo4ors995")
    }

    @Test("the salt takes part in every iteration")
    func saltMatters() {
        #expect(NSEC3Hash.hash(name: "example.", salt: [1], iterations: 1) != NSEC3Hash.hash(name: "example.", salt: [2], iterations: 1))
        #expect(NSEC3Hash.hash(name: "example.", salt: [1], iterations: 1) != NSEC3Hash.hash(name: "example.", salt: [1], iterations: 0))
    }

    @Test("hashed owner names: one base32hex label on the zone; nil when too long")
    func hashedOwnerNames() throws {
        let owner = try #require(NSEC3Hash.hashedOwnerName(of: "ns1.example.", zone: "example.", salt: appendixSalt, iterations: 12))
        #expect(owner == "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example.")
        let longZone = try DomainName(labels: Array(repeating: Array("abcdefghij".utf8), count: 21))
        #expect(NSEC3Hash.hashedOwnerName(of: longZone, zone: longZone, salt: [], iterations: 0) == nil)
    }
}
