/// One resource record (RFC 1035 §3.2.1).
public struct ResourceRecord: Hashable, Sendable {
    public var owner: DomainName
    public var rrClass: RRClass
    public var ttl: UInt32
    public var rdata: RData

    public init(owner: DomainName, rrClass: RRClass = .internet, ttl: UInt32, rdata: RData) {
        self.owner = owner
        self.rrClass = rrClass
        self.ttl = ttl
        self.rdata = rdata
    }

    public init<Format: RDataFormat>(owner: DomainName, rrClass: RRClass = .internet, ttl: UInt32, _ value: Format) {
        self.init(owner: owner, rrClass: rrClass, ttl: ttl, rdata: RData(value))
    }

    public var type: RRType { rdata.type }

    /// Reads one record at `reader.offset`.
    public init(from reader: inout WireReader) throws(DNSWireError) {
        owner = try reader.readName()
        let type = RRType(try reader.readUInt16())
        rrClass = RRClass(try reader.readUInt16())
        ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        rdata = try RData(type: type, length: length, from: &reader)
    }

    /// Writes the record, RDLENGTH included, under the writer's mode (message, or canonical
    /// RFC 4034 §6.2 with `ttl` replaced by the caller as needed).
    public func encode(to writer: inout WireWriter) {
        writer.writeOwnerName(owner)
        writer.write(type.rawValue)
        writer.write(rrClass.rawValue)
        writer.write(ttl)
        let lengthAt = writer.count
        writer.write(UInt16(0))
        rdata.encode(to: &writer)
        writer.patch(UInt16(writer.count - lengthAt - 2), at: lengthAt)
    }

    /// Presentation form, one line: `owner TTL CLASS TYPE RDATA` with tabs between fields,
    /// as ldns-read-zone prints.
    public func appendPresentation(to out: inout String) {
        owner.appendPresentation(to: &out)
        out.append("\t")
        out.append(String(ttl))
        out.append("\t")
        out.append(rrClass.description)
        out.append("\t")
        out.append(type.description)
        out.append("\t")
        rdata.appendPresentation(to: &out)
    }

    public var presentation: String {
        var out = ""
        appendPresentation(to: &out)
        return out
    }
}

extension ResourceRecord: CustomStringConvertible {
    public var description: String { presentation }
}
