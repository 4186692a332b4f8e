/// Writes JSON (RFC 8259) straight into bytes, for the reports written once per domain of a
/// scan: no intermediate tree, no `Encoder` containers, no dynamic casts — Foundation's
/// `JSONEncoder` spent more CPU on a report than the DNSSEC verifications behind it.
///
/// The caller writes an object's members in the order it wants them; types that conform to
/// `JSONWritable` write theirs sorted by key (as `JSONEncoder`'s `.sortedKeys` does; debug
/// builds check it), and leave out absent optionals (as synthesised `Codable` does). Strings
/// are escaped by `JSONValue.writeString` (RFC 8259 §7, no `\/`).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// No comma before the next member or element (just after `{`, `[` or a key).
    private var first = true
    #if DEBUG
    private var lastKeys: [[UInt8]?] = []
    #endif

    public init(capacity: Int = 2048) { bytes.reserveCapacity(capacity) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) private mutating func separator() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    public mutating func beginObject() {
        separator()
        bytes.append(UInt8(ascii: "{"))
        first = true
        #if DEBUG
        lastKeys.append(nil)
        #endif
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
        #if DEBUG
        lastKeys.removeLast()
        #endif
    }

    public mutating func beginArray() {
        separator()
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// A member's key; its value follows.
    public mutating func key(_ key: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { buffer in
            #if DEBUG
            if let previous = lastKeys[lastKeys.count - 1] {
                assert(previous.lexicographicallyPrecedes(buffer), "JSON keys out of order: \(key) after \(String(decoding: previous, as: UTF8.self))")
            }
            lastKeys[lastKeys.count - 1] = Array(buffer)
            #endif
            bytes.append(contentsOf: buffer)
        }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        first = true
    }

    public mutating func string(_ value: String) {
        separator()
        JSONValue.writeString(value, to: &bytes)
    }

    public mutating func bool(_ value: Bool) {
        separator()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func integer(_ value: some BinaryInteger) {
        separator()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func value(_ value: some JSONWritable) {
        value.write(to: &self)
    }

    public mutating func array(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    public mutating func array(_ values: [some JSONWritable]) {
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }

    // Members, `key` then value; an optional's member is left out when it is nil.

    public mutating func member(_ name: StaticString, _ value: String) { key(name); string(value) }
    public mutating func member(_ name: StaticString, _ value: String?) { if let value { member(name, value) } }
    public mutating func member(_ name: StaticString, _ value: Bool) { key(name); bool(value) }
    public mutating func member<I: BinaryInteger>(_ name: StaticString, _ value: I) { key(name); integer(value) }
    public mutating func member<I: BinaryInteger>(_ name: StaticString, _ value: I?) { if let value { member(name, value) } }
    public mutating func member(_ name: StaticString, _ value: some JSONWritable) { key(name); value.write(to: &self) }
    public mutating func member<W: JSONWritable>(_ name: StaticString, _ value: W?) { if let value { member(name, value) } }
    public mutating func member(_ name: StaticString, _ values: [String]) { key(name); array(values) }
    public mutating func member(_ name: StaticString, _ values: [some JSONWritable]) { key(name); array(values) }
}

/// A value that writes itself as JSON, an object's members sorted by key.
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// One line of JSON.
    public var jsonText: String {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.text
    }
}
