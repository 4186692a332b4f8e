/// The set of RR types present at a name, in the window-block encoding that NSEC (RFC 4034
/// §4.1.2), NSEC3 (RFC 5155 §3.2.1) and CSYNC (RFC 7477 §2.1.2) share.
///
/// Wire form: for each 256-type window that has a type, in increasing window order, the window
/// number, the bitmap length (1 to 32) and the bitmap, where bit `n` (most significant bit of
/// the first octet = 0) stands for type `window * 256 + n`. RFC 4034 §4.1.2: blocks with no
/// types "MUST NOT be included" and trailing zero octets are not written.
///
/// Decoding rejects windows out of order or repeated, bitmap lengths 0 or over 32, and a
/// bitmap whose last octet is zero (RFC 4034 §4.1.2: trailing zero octets MUST be omitted;
/// this also refuses an all-zero block), as BIND and dnspython do: such RDATA could not be
/// re-encoded byte for byte, so a signature over it could never be checked. Bits of
/// meta types (OPT, 128–255) are kept: RFC 4034 §4.1.2 has readers ignore them, which is the
/// consumer's business, and keeping them keeps valid RDATA byte-exact. Encoding is always
/// minimal.
public struct TypeBitmap: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The types, ascending, each once.
    public private(set) var types: [RRType]

    public init() { types = [] }

    public init(_ types: some Sequence<RRType>) {
        self.types = Array(Set(types)).sorted()
    }

    public init(arrayLiteral types: RRType...) { self.init(types) }

    public var isEmpty: Bool { types.isEmpty }
    public var count: Int { types.count }

    public func contains(_ type: RRType) -> Bool { binarySearch(type).found }

    public mutating func insert(_ type: RRType) {
        let (found, index) = binarySearch(type)
        if !found { types.insert(type, at: index) }
    }

    public mutating func remove(_ type: RRType) {
        let (found, index) = binarySearch(type)
        if found { types.remove(at: index) }
    }

    private func binarySearch(_ type: RRType) -> (found: Bool, index: Int) {
        var low = 0
        var high = types.count
        while low < high {
            let mid = (low + high) / 2
            if types[mid] == type { return (true, mid) }
            if types[mid] < type { low = mid + 1 } else { high = mid }
        }
        return (false, low)
    }

    /// Reads window blocks up to `reader.limit` (the bitmap is always the last RDATA field).
    public init(wire reader: inout WireReader) throws(DNSWireError) {
        var types: [RRType] = []
        var lastWindow: Int = -1
        while !reader.isAtEnd {
            let blockStart = reader.offset
            let window = Int(try reader.readUInt8())
            let length = Int(try reader.readUInt8())
            guard window > lastWindow else {
                throw DNSWireError(
                    .badRDATA, at: blockStart,
                    window == lastWindow ? "type bitmap window \(window) repeated" : "type bitmap window \(window) after window \(lastWindow)"
                )
            }
            guard (1...32).contains(length) else {
                throw DNSWireError(.badRDATA, at: blockStart + 1, "type bitmap window \(window) has length \(length), not 1 to 32")
            }
            let bitmap = try reader.readBytes(length)
            guard bitmap[length - 1] != 0 else {
                throw DNSWireError(.badRDATA, at: blockStart + 1 + length, "type bitmap window \(window) ends in a zero octet (RFC 4034 §4.1.2)")
            }
            for (octetIndex, octet) in bitmap.enumerated() where octet != 0 {
                for bit in 0..<8 where octet & (0x80 >> UInt8(bit)) != 0 {
                    types.append(RRType(UInt16(window << 8 | octetIndex << 3 | bit)))
                }
            }
            lastWindow = window
        }
        self.types = types
    }

    /// Writes the minimal window blocks; nothing for an empty set.
    public func encode(to writer: inout WireWriter) {
        var index = 0
        while index < types.count {
            let window = types[index].rawValue >> 8
            var bitmap = [UInt8](repeating: 0, count: 32)
            var length = 0
            while index < types.count, types[index].rawValue >> 8 == window {
                let low = Int(types[index].rawValue & 0xFF)
                bitmap[low >> 3] |= 0x80 >> UInt8(low & 7)
                length = (low >> 3) + 1
                index += 1
            }
            writer.write(UInt8(window))
            writer.write(UInt8(length))
            writer.write(bytes: bitmap[0..<length])
        }
    }

    /// Reads every remaining token as a type mnemonic or `TYPEnnn` (RFC 3597 §5), in any
    /// order, repeats allowed; no tokens give the empty set.
    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        var types: [RRType] = []
        while !scanner.isAtEnd {
            let token = try scanner.next("type")
            guard !token.isQuoted, let type = RRType(mnemonic: token.string) else {
                throw scanner.error(.badValue, at: token, "\"\(token.string)\" is not a type mnemonic or TYPEnnn")
            }
            types.append(type)
        }
        self.init(types)
    }

    /// The types, ascending, separated by single spaces (nothing when empty).
    public func appendPresentation(to out: inout String) {
        for (i, type) in types.enumerated() {
            if i > 0 { out.append(" ") }
            out.append(type.description)
        }
    }

    public var description: String {
        var out = ""
        appendPresentation(to: &out)
        return out
    }
}
