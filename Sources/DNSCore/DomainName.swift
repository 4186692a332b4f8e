/// A domain name as a sequence of labels of raw octets (RFC 1035 §3.1).
///
/// Stored in uncompressed wire form, terminating root label included, so that encoding is a
/// copy and canonical comparison (RFC 4034 §6.1) works on bytes. Equality and hashing are
/// case-insensitive for ASCII letters only (RFC 4343); the original case is kept for printing.
public struct DomainName: Sendable {
    /// Uncompressed wire form: length-prefixed labels ending with the zero-length root label.
    public private(set) var wire: [UInt8]

    /// Longest label (RFC 1035 §2.3.4).
    public static let maxLabelLength = 63
    /// Longest name in wire form, root label included (RFC 1035 §2.3.4).
    public static let maxWireLength = 255

    public static let root = DomainName(uncheckedWire: [0])

    /// Trusted constructor: `wire` is already valid wire form.
    package init(uncheckedWire wire: [UInt8]) {
        self.wire = wire
    }

    /// Builds a name from labels given most specific first, e.g. `["www", "example", "org"]`.
    public init<Labels: Sequence>(labels: Labels) throws(DomainNameError) where Labels.Element: Collection, Labels.Element.Element == UInt8 {
        var wire: [UInt8] = []
        for label in labels {
            if label.isEmpty { throw .emptyLabel }
            if label.count > Self.maxLabelLength { throw .labelTooLong(label.count) }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
        }
        wire.append(0)
        if wire.count > Self.maxWireLength { throw .nameTooLong(wire.count) }
        self.wire = wire
    }

    /// Validates raw wire form (no compression pointers).
    public init(wire: [UInt8]) throws(DomainNameError) {
        var index = 0
        while true {
            guard index < wire.count else { throw .missingRootLabel }
            let length = Int(wire[index])
            if length == 0 { break }
            if length > Self.maxLabelLength { throw .labelTooLong(length) }
            index += 1 + length
        }
        if index + 1 != wire.count { throw .trailingBytes }
        if wire.count > Self.maxWireLength { throw .nameTooLong(wire.count) }
        self.wire = wire
    }

    public var isRoot: Bool { wire.count == 1 }

    /// Number of labels, not counting the root label (the RRSIG "Labels" notion, RFC 4034 §3.1.3,
    /// counts a leading `*` too; see `rrsigLabelCount`).
    public var labelCount: Int {
        var count = 0
        var index = 0
        while wire[index] != 0 {
            count += 1
            index += 1 + Int(wire[index])
        }
        return count
    }

    /// The labels, most specific first, as byte slices of `wire`.
    public var labels: [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            result.append(wire[(index + 1)..<(index + 1 + length)])
            index += 1 + length
        }
        return result
    }

    /// True for a name whose first label is exactly `*` (RFC 4592 §2.1.1).
    public var isWildcard: Bool { wire.count >= 3 && wire[0] == 1 && wire[1] == UInt8(ascii: "*") }

    /// The RRSIG Labels value for this owner: labels excluding the root and a leading `*`
    /// (RFC 4034 §3.1.3).
    public var rrsigLabelCount: Int { labelCount - (isWildcard ? 1 : 0) }

    /// The name with its first label removed; the root's parent is nil.
    public var parent: DomainName? {
        if isRoot { return nil }
        return DomainName(uncheckedWire: Array(wire[(1 + Int(wire[0]))...]))
    }

    /// The name made of the last `count` labels (the root for 0).
    public func suffix(labelCount count: Int) -> DomainName {
        let total = labelCount
        precondition(count >= 0 && count <= total, "suffix label count out of range")
        var index = 0
        for _ in 0..<(total - count) { index += 1 + Int(wire[index]) }
        return DomainName(uncheckedWire: Array(wire[index...]))
    }

    /// Prefixes one label.
    public func prepending(label: some Collection<UInt8>) throws(DomainNameError) -> DomainName {
        if label.isEmpty { throw .emptyLabel }
        if label.count > Self.maxLabelLength { throw .labelTooLong(label.count) }
        let length = wire.count + 1 + label.count
        if length > Self.maxWireLength { throw .nameTooLong(length) }
        var bytes: [UInt8] = [UInt8(label.count)]
        bytes.reserveCapacity(length)
        bytes.append(contentsOf: label)
        bytes.append(contentsOf: wire)
        return DomainName(uncheckedWire: bytes)
    }

    /// `self` followed by `suffix` (`self` is treated as relative: its root label is dropped).
    public func appending(_ suffix: DomainName) throws(DomainNameError) -> DomainName {
        let length = wire.count - 1 + suffix.wire.count
        if length > Self.maxWireLength { throw .nameTooLong(length) }
        var bytes = wire
        bytes.removeLast()
        bytes.append(contentsOf: suffix.wire)
        return DomainName(uncheckedWire: bytes)
    }

    /// The canonical form: every ASCII uppercase letter lowercased (RFC 4034 §6.2).
    public var lowercased: DomainName {
        var copy = self
        copy.wire.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices where buffer[i] &- 0x41 < 26 { buffer[i] |= 0x20 }
        }
        // Length octets are ≤ 63 (0x3F) and never in 0x41...0x5A, so only label bytes change.
        return copy
    }

    /// Whether `self` is `other` or lies below it (RFC 1034 §3.1 "subdomain").
    public func isSubdomain(of other: DomainName) -> Bool {
        let difference = wire.count - other.wire.count
        if difference < 0 { return false }
        // Walk label boundaries of self until the remaining length equals other's length.
        var index = 0
        while wire.count - index > other.wire.count {
            index += 1 + Int(wire[index])
        }
        guard wire.count - index == other.wire.count else { return false }
        return Self.equalIgnoringCase(wire[index...], other.wire[...])
    }

    /// Number of trailing labels `self` shares with `other` (case-insensitively).
    public func commonSuffixLabelCount(with other: DomainName) -> Int {
        let a = labels, b = other.labels
        var count = 0
        while count < a.count, count < b.count,
              Self.equalIgnoringCase(a[a.count - 1 - count], b[b.count - 1 - count]) {
            count += 1
        }
        return count
    }

    /// The name relative to `origin` in presentation form, or nil if `self` is not below it.
    public func relativeText(to origin: DomainName) -> String? {
        guard isSubdomain(of: origin) else { return nil }
        let keep = labelCount - origin.labelCount
        if keep == 0 { return "@" }
        return labels.prefix(keep).map { DomainName.escape(label: $0) }.joined(separator: ".")
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    static func equalIgnoringCase(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.startIndex, j = b.startIndex
        while i < a.endIndex {
            if lower(a[i]) != lower(b[j]) { return false }
            i += 1; j += 1
        }
        return true
    }
}

extension DomainName: Hashable {
    public static func == (lhs: DomainName, rhs: DomainName) -> Bool {
        equalIgnoringCase(lhs.wire[...], rhs.wire[...])
    }

    /// One `combine(bytes:)` per name over the lowercased octets, copied to the stack (feeding
    /// `Hasher` octet by octet was the largest cost of zone lookups when serving). The seeded
    /// hasher sees every octet, so attacker-chosen names cannot be made to collide.
    public func hash(into hasher: inout Hasher) {
        wire.withUnsafeBufferPointer { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lowered in
                for index in 0..<bytes.count { lowered[index] = Self.lower(bytes[index]) }
                hasher.combine(bytes: UnsafeRawBufferPointer(lowered))
            }
        }
    }
}

extension DomainName: Comparable {
    /// Canonical DNS name order (RFC 4034 §6.1): compare labels from the most significant
    /// (rightmost) one, each as a left-justified octet string with uppercase ASCII lowercased;
    /// a name that runs out of labels first sorts first.
    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        canonicalCompare(lhs, rhs) < 0
    }

    /// -1, 0 or 1 in canonical order (RFC 4034 §6.1).
    public static func canonicalCompare(_ lhs: DomainName, _ rhs: DomainName) -> Int {
        let a = lhs.labelOffsets, b = rhs.labelOffsets
        var i = a.count - 1, j = b.count - 1
        while i >= 0, j >= 0 {
            let order = compareLabel(lhs.wire, a[i], rhs.wire, b[j])
            if order != 0 { return order }
            i -= 1; j -= 1
        }
        if i < 0 && j < 0 { return 0 }
        return i < 0 ? -1 : 1
    }

    var labelOffsets: [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(8)
        var index = 0
        while wire[index] != 0 {
            offsets.append(index)
            index += 1 + Int(wire[index])
        }
        return offsets
    }

    private static func compareLabel(_ a: [UInt8], _ ai: Int, _ b: [UInt8], _ bi: Int) -> Int {
        let la = Int(a[ai]), lb = Int(b[bi])
        let n = min(la, lb)
        for k in 0..<n {
            let x = lower(a[ai + 1 + k]), y = lower(b[bi + 1 + k])
            if x != y { return x < y ? -1 : 1 }
        }
        return la == lb ? 0 : (la < lb ? -1 : 1)
    }
}

/// Why a name could not be built.
public enum DomainNameError: Error, Hashable, Sendable, CustomStringConvertible {
    case emptyLabel
    case labelTooLong(Int)
    case nameTooLong(Int)
    case missingRootLabel
    case trailingBytes
    case badEscape(String)
    case relativeWithoutOrigin(String)

    public var description: String {
        switch self {
        case .emptyLabel: "empty label"
        case .labelTooLong(let n): "label of \(n) octets exceeds 63"
        case .nameTooLong(let n): "name of \(n) octets exceeds 255"
        case .missingRootLabel: "name does not end with the root label"
        case .trailingBytes: "bytes after the root label"
        case .badEscape(let text): "bad escape in \"\(text)\""
        case .relativeWithoutOrigin(let text): "relative name \"\(text)\" with no origin"
        }
    }
}
