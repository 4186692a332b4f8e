/// Work limits for one validation, against KeyTrap (CVE-2023-50387: many DNSKEYs sharing a key
/// tag × many RRSIGs) and the NSEC3 closest-encloser attack (CVE-2023-50868: many hashes of
/// many iterations). Running out makes the answer bogus with EDE 6 (as Unbound does), never a
/// stall. Defaults follow the fixes of February 2024: Unbound's 8 RRSIGs per RRset and
/// Knot's 32 crypto operations per query, at most 2 keys per key tag (hickory), 4 failures.
public struct ValidationBudget: Hashable, Sendable {
    /// Signature verifications (each one a public-key operation).
    public var maxSignatureVerifications: Int
    /// Failed verifications before giving up.
    public var maxSignatureFailures: Int
    /// RRSIGs looked at per RRset.
    public var maxRRSIGsPerRRset: Int
    /// DNSKEYs tried for one RRSIG (keys sharing its key tag).
    public var maxKeysPerKeyTag: Int
    /// NSEC3 hash computations (each `iterations + 1` SHA-1 runs).
    public var maxNSEC3Hashes: Int

    public static let `default` = ValidationBudget(
        maxSignatureVerifications: 32, maxSignatureFailures: 4, maxRRSIGsPerRRset: 8,
        maxKeysPerKeyTag: 2, maxNSEC3Hashes: 64
    )

    public init(maxSignatureVerifications: Int, maxSignatureFailures: Int, maxRRSIGsPerRRset: Int,
                maxKeysPerKeyTag: Int, maxNSEC3Hashes: Int) {
        self.maxSignatureVerifications = maxSignatureVerifications
        self.maxSignatureFailures = maxSignatureFailures
        self.maxRRSIGsPerRRset = maxRRSIGsPerRRset
        self.maxKeysPerKeyTag = maxKeysPerKeyTag
        self.maxNSEC3Hashes = maxNSEC3Hashes
    }
}

/// What a validation has spent so far; one per answer, passed `inout` through every check.
public struct ValidationWork: Hashable, Sendable {
    public let budget: ValidationBudget
    public private(set) var signatureVerifications = 0
    public private(set) var signatureFailures = 0
    public private(set) var nsec3Hashes = 0

    public init(budget: ValidationBudget = .default) { self.budget = budget }

    /// Takes one verification from the budget; false when none is left.
    public mutating func spendVerification() -> Bool {
        guard signatureVerifications < budget.maxSignatureVerifications,
              signatureFailures < budget.maxSignatureFailures else { return false }
        signatureVerifications += 1
        return true
    }

    public mutating func recordFailure() { signatureFailures += 1 }

    /// Takes one NSEC3 hash from the budget; false when none is left.
    public mutating func spendNSEC3Hash() -> Bool {
        guard nsec3Hashes < budget.maxNSEC3Hashes else { return false }
        nsec3Hashes += 1
        return true
    }

    public var isExhausted: Bool {
        signatureVerifications >= budget.maxSignatureVerifications || signatureFailures >= budget.maxSignatureFailures
    }
}
