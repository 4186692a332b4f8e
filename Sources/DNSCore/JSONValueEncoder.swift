/// Encodes any `Encodable` as a `JSONValue` (then `.text`: one line, keys sorted), for the
/// reports written once per domain of a scan. What it supports is what our reports hold:
/// strings, booleans, integers of every width, arrays, objects, nil (`null`; an absent
/// optional of synthesised `Codable` is left out, as `JSONEncoder` does). Floating-point
/// numbers are refused with an error instead of being printed in a form that might not
/// round-trip; nothing of ours encodes one.
///
/// Its output is byte for byte that of Foundation's `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` for such values (a test holds it to that), at a fraction of the
/// cost: no boxing through `Any`, no dynamic casts for Date/Data/URL, no collation of keys.
public struct JSONValueEncoder {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Slot()
        try value.encode(to: SlotEncoder(slot: root, codingPath: []))
        return root.finished()
    }

    /// Encoded and serialised, or nil when the value could not be encoded.
    public func text(_ value: some Encodable) -> String? {
        (try? encode(value))?.text
    }
}

public struct JSONValueEncodingError: Error, CustomStringConvertible {
    public let description: String
}

/// One value under construction: containers hand out slots of their own and fill them in
/// place, so nested containers need no write-back.
private final class Slot {
    enum Content {
        case empty
        case value(JSONValue)
        case object([(String, Slot)])
        case array([Slot])
    }
    var content: Content = .empty

    func finished() -> JSONValue {
        switch content {
        case .empty: return .object([:])
        case .value(let value): return value
        case .object(let members):
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(members.count)
            for (key, slot) in members { object[key] = slot.finished() }
            return .object(object)
        case .array(let items): return .array(items.map { $0.finished() })
        }
    }

    func member(_ key: String) -> Slot {
        let slot = Slot()
        if case .object(var members) = content {
            content = .empty  // keeps `members` uniquely referenced while appending
            members.append((key, slot))
            content = .object(members)
        } else {
            content = .object([(key, slot)])
        }
        return slot
    }

    func element() -> Slot {
        let slot = Slot()
        if case .array(var items) = content {
            content = .empty
            items.append(slot)
            content = .array(items)
        } else {
            content = .array([slot])
        }
        return slot
    }

    func makeObject() { if case .object = content {} else { content = .object([]) } }
    func makeArray() { if case .array = content {} else { content = .array([]) } }

    var count: Int {
        switch content {
        case .array(let items): items.count
        case .object(let members): members.count
        default: 0
        }
    }
}

private struct SlotEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return UnkeyedSlotContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleSlotContainer(slot: slot, codingPath: codingPath)
    }
}

/// The scalar encodings shared by the three containers.
private extension Slot {
    func set(_ value: JSONValue) { content = .value(value) }
    func set(integer value: some FixedWidthInteger, path: [any CodingKey]) throws {
        guard let int = Int(exactly: value) else {
            throw JSONValueEncodingError(description: "\(value) at \(path.map(\.stringValue).joined(separator: ".")) does not fit an Int")
        }
        content = .value(.int(int))
    }
    func refuse(_ what: String, path: [any CodingKey]) -> JSONValueEncodingError {
        JSONValueEncodingError(description: "\(what) at \(path.map(\.stringValue).joined(separator: ".")): floating-point numbers are not encoded")
    }
    func set<T: Encodable>(encodable value: T, path: [any CodingKey]) throws {
        switch value {
        case let string as String: content = .value(.string(string))
        case let bool as Bool: content = .value(.bool(bool))
        case let int as Int: content = .value(.int(int))
        default: try value.encode(to: SlotEncoder(slot: self, codingPath: path))
        }
    }
}

private struct KeyedSlotContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    mutating func encodeNil(forKey key: Key) throws { slot.member(key.stringValue).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { slot.member(key.stringValue).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { slot.member(key.stringValue).set(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw slot.refuse("\(value)", path: path(key)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw slot.refuse("\(value)", path: path(key)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { slot.member(key.stringValue).set(.int(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try slot.member(key.stringValue).set(integer: value, path: path(key)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try slot.member(key.stringValue).set(encodable: value, path: path(key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = slot.member(key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: child, codingPath: path(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot.member(key.stringValue)
        child.makeArray()
        return UnkeyedSlotContainer(slot: child, codingPath: path(key))
    }

    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SlotEncoder(slot: slot.member(key.stringValue), codingPath: path(key)) }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue ?? 0)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedSlotContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int { slot.count }

    private var path: [any CodingKey] { codingPath + [IndexKey(count)] }

    mutating func encodeNil() throws { slot.element().set(.null) }
    mutating func encode(_ value: Bool) throws { slot.element().set(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.element().set(.string(value)) }
    mutating func encode(_ value: Double) throws { throw slot.refuse("\(value)", path: path) }
    mutating func encode(_ value: Float) throws { throw slot.refuse("\(value)", path: path) }
    mutating func encode(_ value: Int) throws { slot.element().set(.int(value)) }
    mutating func encode(_ value: Int8) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: Int16) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: Int32) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: Int64) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: UInt) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: UInt8) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: UInt16) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: UInt32) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode(_ value: UInt64) throws { let p = path; try slot.element().set(integer: value, path: p) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let p = path
        try slot.element().set(encodable: value, path: p)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let p = path
        let child = slot.element()
        child.makeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: child, codingPath: p))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let p = path
        let child = slot.element()
        child.makeArray()
        return UnkeyedSlotContainer(slot: child, codingPath: p)
    }

    mutating func superEncoder() -> any Encoder {
        let p = path
        return SlotEncoder(slot: slot.element(), codingPath: p)
    }
}

private struct SingleSlotContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.set(.null) }
    mutating func encode(_ value: Bool) throws { slot.set(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.set(.string(value)) }
    mutating func encode(_ value: Double) throws { throw slot.refuse("\(value)", path: codingPath) }
    mutating func encode(_ value: Float) throws { throw slot.refuse("\(value)", path: codingPath) }
    mutating func encode(_ value: Int) throws { slot.set(.int(value)) }
    mutating func encode(_ value: Int8) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: Int16) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: Int32) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: Int64) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: UInt) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: UInt8) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: UInt16) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: UInt32) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode(_ value: UInt64) throws { try slot.set(integer: value, path: codingPath) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.set(encodable: value, path: codingPath) }
}
