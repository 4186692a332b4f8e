/// Why bytes could not be decoded as DNS wire format; `offset` is where in the input.
public struct DNSWireError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case truncated
        case badPointer
        case pointerLoop
        case forwardPointer
        case badLabelType
        case nameTooLong
        case rdataLengthMismatch
        case badRDATA
        case trailingBytes
        case duplicateOPT
        case badOPT
        case tooManyRecords
    }

    public var code: Code
    public var offset: Int
    public var detail: String

    public init(_ code: Code, at offset: Int, _ detail: String = "") {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        let what: String = switch code {
        case .truncated: "message truncated"
        case .badPointer: "compression pointer out of range"
        case .pointerLoop: "compression pointer loop"
        case .forwardPointer: "compression pointer points forward"
        case .badLabelType: "reserved label type"
        case .nameTooLong: "name longer than 255 octets"
        case .rdataLengthMismatch: "RDATA length mismatch"
        case .badRDATA: "malformed RDATA"
        case .trailingBytes: "bytes after the last record"
        case .duplicateOPT: "more than one OPT record"
        case .badOPT: "malformed OPT record"
        case .tooManyRecords: "record counts exceed the message"
        }
        return detail.isEmpty ? "\(what) at offset \(offset)" : "\(what) at offset \(offset): \(detail)"
    }
}
