/// The RDATA of one record: its type and a value of the layout that type uses, or
/// `UnknownRData` for types without a layout here (RFC 3597), so every type round-trips.
public struct RData: Sendable {
    public let type: RRType
    public let value: any RDataFormat

    /// Wraps `value` as RDATA of its layout's primary type.
    public init<Format: RDataFormat>(_ value: Format) {
        self.type = Format.primaryType
        self.value = value
    }

    /// Wraps `value` as RDATA of `type` (for types sharing a layout, e.g. CDS with `DS`).
    public init(_ value: any RDataFormat, type: RRType) {
        self.type = type
        self.value = value
    }

    /// The value as layout `Format`, if it is one.
    public func `as`<Format: RDataFormat>(_: Format.Type) -> Format? { value as? Format }

    /// Decodes `length` octets at `reader.offset` as RDATA of `type`.
    public init(type: RRType, length: Int, from reader: inout WireReader) throws(DNSWireError) {
        let start = reader.offset
        let end = start + length
        guard end <= reader.limit else { throw DNSWireError(.truncated, at: start, "RDATA of \(length) octets for \(type)") }
        let outerLimit = reader.limit
        reader.limit = end
        defer { reader.limit = outerLimit }
        let format = RData.format(for: type) ?? UnknownRData.self
        let value: any RDataFormat
        do {
            value = try format.init(wire: &reader)
        } catch {
            if error.code == .truncated, error.offset >= start {
                throw DNSWireError(.rdataLengthMismatch, at: start, "\(type) RDATA ends early: \(error.description)")
            }
            throw error
        }
        guard reader.offset == end else {
            throw DNSWireError(.rdataLengthMismatch, at: start, "\(type) RDATA has \(end - reader.offset) octets left over")
        }
        self.init(value, type: type)
    }

    /// Parses presentation form for `type`; accepts the generic `\# length hex` form for any
    /// type (RFC 3597 §5), converting it to the type's layout when one is known.
    public init(type: RRType, presentation scanner: inout PresentationScanner) throws(PresentationError) {
        let format = RData.format(for: type)
        if scanner.peekIsGenericMarker {
            let unknown = try UnknownRData(presentation: &scanner)
            try scanner.finish()
            guard let format else { self.init(unknown, type: type); return }
            var reader = WireReader(unknown.bytes)
            do {
                let value = try format.init(wire: &reader)
                guard reader.isAtEnd else { throw DNSWireError(.rdataLengthMismatch, at: reader.offset) }
                self.init(value, type: type)
            } catch {
                throw scanner.error(.badValue, "\\# data is not valid \(type) RDATA: \(error)")
            }
            return
        }
        guard let format else {
            throw scanner.error(.unknownType, "type \(type) has no known presentation form; use \\# (RFC 3597)")
        }
        let value = try format.init(presentation: &scanner)
        try scanner.finish()
        // RDLENGTH is 16 bits (RFC 1035 §3.2.1). Text can expand at most ~4x into wire form
        // (a one-digit number becoming 4 octets), so only long texts need the check.
        if scanner.tokens.reduce(0, { $0 + $1.text.count + 1 }) > 16_383 {
            var writer = WireWriter(mode: .uncompressed)
            value.encode(to: &writer)
            guard writer.count <= 65_535 else {
                throw scanner.error(.badValue, "\(type) RDATA would be \(writer.count) octets, over 65,535")
            }
        }
        self.init(value, type: type)
    }

    /// Convenience for one-line RDATA text, e.g. `RData(type: .mx, text: "10 mail.example.")`.
    public init(type: RRType, text: String, origin: DomainName? = nil) throws(PresentationError) {
        var scanner = try PresentationScanner(text: text, origin: origin)
        try self.init(type: type, presentation: &scanner)
    }

    /// Encodes the RDATA (no RDLENGTH) under the writer's mode and this type's name rules.
    public func encode(to writer: inout WireWriter) {
        let saved = writer.rdataType
        writer.rdataType = type
        value.encode(to: &writer)
        writer.rdataType = saved
    }

    /// The RDATA in canonical wire form (RFC 4034 §6.2), as used for RRset ordering and
    /// signing.
    public var canonicalWire: [UInt8] {
        var writer = WireWriter(mode: .canonical, capacity: 64)
        encode(to: &writer)
        return writer.bytes
    }

    /// The RDATA as written in a message without compression, case preserved.
    public var wire: [UInt8] {
        var writer = WireWriter(mode: .uncompressed, capacity: 64)
        encode(to: &writer)
        return writer.bytes
    }

    public func appendPresentation(to out: inout String) { value.appendPresentation(to: &out) }

    public var presentation: String { value.presentation }
}

extension RData: Hashable {
    /// RDATA are equal when their types and values are equal.
    public static func == (lhs: RData, rhs: RData) -> Bool {
        lhs.type == rhs.type && lhs.value.isEqual(to: rhs.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        value.hash(into: &hasher)
    }
}

extension RData: CustomStringConvertible {
    public var description: String { "\(type) \(presentation)" }
}

extension RDataFormat {
    func isEqual(to other: any RDataFormat) -> Bool {
        guard let other = other as? Self else { return false }
        return self == other
    }
}
