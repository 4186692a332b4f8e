/// A question entry (RFC 1035 §4.1.2).
public struct Question: Hashable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var type: RRType
    public var rrClass: RRClass

    public init(name: DomainName, type: RRType, rrClass: RRClass = .internet) {
        self.name = name
        self.type = type
        self.rrClass = rrClass
    }

    public init(from reader: inout WireReader) throws(DNSWireError) {
        name = try reader.readName()
        type = RRType(try reader.readUInt16())
        rrClass = RRClass(try reader.readUInt16())
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeOwnerName(name)
        writer.write(type.rawValue)
        writer.write(rrClass.rawValue)
    }

    public var description: String { "\(name) \(rrClass) \(type)" }
}
