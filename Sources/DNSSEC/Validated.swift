import DNSCore

/// A value with the DNSSEC status it was proved to have and the steps that proved it.
public struct Validated<Value: Sendable>: Sendable {
    public var value: Value
    public var status: SecurityStatus
    /// In order: the chain from the trust anchor down, then the verdict's own step.
    public var reasons: [ValidationReason]

    public init(_ value: Value, status: SecurityStatus, reasons: [ValidationReason]) {
        self.value = value
        self.status = status
        self.reasons = reasons
    }

    /// The Extended DNS Error of the step that decided a non-secure status (the last one that
    /// names one).
    public var extendedError: ExtendedDNSErrorCode? {
        reasons.last(where: { $0.extendedError != nil })?.extendedError
    }

    public func map<T: Sendable>(_ transform: (Value) -> T) -> Validated<T> {
        Validated<T>(transform(value), status: status, reasons: reasons)
    }
}

extension Validated: Equatable where Value: Equatable {}
extension Validated: Hashable where Value: Hashable {}
