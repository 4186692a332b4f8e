/// Builds wire-format bytes: a message (with name compression, RFC 1035 §4.1.4) or the
/// canonical form of RRs for DNSSEC (RFC 4034 §6.2: no compression, names lowercased where the
/// type says so).
public struct WireWriter: Sendable {
    public enum Mode: Sendable {
        /// Names compressed where allowed (RFC 3597 §4), case kept.
        case message
        /// Names compressed nowhere, case kept (e.g. RDATA for `\#` presentation, or TCP tools).
        case uncompressed
        /// RFC 4034 §6.2 canonical form: no compression, owner and (for the listed types)
        /// RDATA names lowercased.
        case canonical
    }

    public private(set) var bytes: [UInt8]
    public let mode: Mode
    /// Suffixes already written (lowercased wire form → offset), for compression.
    private var suffixOffsets: [ArraySlice<UInt8>: Int] = [:]
    /// Set by the record encoder while RDATA of a given type is being written.
    package var rdataType: RRType?

    public init(mode: Mode = .message, capacity: Int = 512) {
        self.mode = mode
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    public mutating func write(_ value: UInt32) {
        bytes.append(UInt8(value >> 24))
        bytes.append(UInt8((value >> 16) & 0xFF))
        bytes.append(UInt8((value >> 8) & 0xFF))
        bytes.append(UInt8(value & 0xFF))
    }

    public mutating func writeUInt48(_ value: UInt64) {
        write(UInt16(truncatingIfNeeded: value >> 32))
        write(UInt32(truncatingIfNeeded: value))
    }

    public mutating func write<Bytes: Sequence>(bytes more: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: more)
    }

    /// A <character-string>; callers guarantee ≤ 255 octets.
    public mutating func writeCharacterString(_ value: [UInt8]) {
        precondition(value.count <= 255, "character-string over 255 octets")
        bytes.append(UInt8(value.count))
        bytes.append(contentsOf: value)
    }

    /// Overwrites a 16-bit value written earlier (RDLENGTH, counts).
    public mutating func patch(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }

    /// Writes an owner name or question name: compressible in message mode, lowercased in
    /// canonical mode.
    public mutating func writeOwnerName(_ name: DomainName) {
        switch mode {
        case .message: writeCompressed(name)
        case .uncompressed: bytes.append(contentsOf: name.wire)
        case .canonical: bytes.append(contentsOf: name.lowercased.wire)
        }
    }

    /// Writes a name inside RDATA, applying the rules of the RDATA's type: compression only
    /// for the RFC 1035 types (RFC 3597 §4), lowercasing in canonical form only for the types
    /// RFC 4034 §6.2 / RFC 6840 §5.1 list.
    public mutating func writeRDataName(_ name: DomainName) {
        let type = rdataType ?? RRType(0)
        switch mode {
        case .message:
            if type.rdataNamesCompressible { writeCompressed(name) } else { bytes.append(contentsOf: name.wire) }
        case .uncompressed:
            bytes.append(contentsOf: name.wire)
        case .canonical:
            bytes.append(contentsOf: type.rdataNamesLowercasedInCanonicalForm ? name.lowercased.wire : name.wire)
        }
    }

    private mutating func writeCompressed(_ name: DomainName) {
        let lower = name.lowercased.wire
        var index = 0
        var target: Int?
        while lower[index] != 0 {
            if let found = suffixOffsets[lower[index...]] { target = found; break }
            index += 1 + Int(lower[index])
        }
        rememberSuffixes(lower, upTo: index)
        if let target {
            bytes.append(contentsOf: name.wire[0..<index])
            write(UInt16(0xC000 | target))
        } else {
            bytes.append(contentsOf: name.wire)
        }
    }

    /// Records the offsets at which the suffixes of `lower` starting before `upTo` will be
    /// written (only offsets a pointer can reach, < 0x4000).
    private mutating func rememberSuffixes(_ lower: [UInt8], upTo stop: Int) {
        let start = bytes.count
        var index = 0
        while index < stop {
            let at = start + index
            if at < 0x4000, suffixOffsets[lower[index...]] == nil {
                suffixOffsets[lower[index...]] = at
            }
            index += 1 + Int(lower[index])
        }
    }
}
