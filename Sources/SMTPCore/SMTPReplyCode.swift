/// A three-digit SMTP reply code (RFC 5321 §4.2, §4.2.1–§4.2.3).
///
/// An open registry: any code from 200 to 599 round-trips; the named constants are the ones
/// daneprobe's client and server use.
public struct SMTPReplyCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }

    /// The first digit (RFC 5321 §4.2.1): 2 positive completion, 3 positive intermediate,
    /// 4 transient negative, 5 permanent negative.
    public var category: UInt16 { rawValue / 100 }

    public var isPositiveCompletion: Bool { category == 2 }
    public var isPositiveIntermediate: Bool { category == 3 }
    public var isTransientNegative: Bool { category == 4 }
    public var isPermanentNegative: Bool { category == 5 }

    public static let serviceReady = SMTPReplyCode(rawValue: 220)
    public static let closing = SMTPReplyCode(rawValue: 221)
    public static let ok = SMTPReplyCode(rawValue: 250)
    public static let startMailInput = SMTPReplyCode(rawValue: 354)
    public static let serviceNotAvailable = SMTPReplyCode(rawValue: 421)
    public static let localError = SMTPReplyCode(rawValue: 451)
    public static let insufficientStorage = SMTPReplyCode(rawValue: 452)
    /// RFC 3207 §4: "TLS not available due to temporary reason".
    public static let tlsNotAvailable = SMTPReplyCode(rawValue: 454)
    public static let syntaxError = SMTPReplyCode(rawValue: 500)
    public static let parameterSyntaxError = SMTPReplyCode(rawValue: 501)
    public static let notImplemented = SMTPReplyCode(rawValue: 502)
    public static let badSequence = SMTPReplyCode(rawValue: 503)
    public static let parameterNotImplemented = SMTPReplyCode(rawValue: 504)
    /// RFC 3207 §4: "Must issue a STARTTLS command first".
    public static let tlsRequired = SMTPReplyCode(rawValue: 530)
    public static let mailboxUnavailable = SMTPReplyCode(rawValue: 550)
    public static let exceededStorage = SMTPReplyCode(rawValue: 552)
    public static let transactionFailed = SMTPReplyCode(rawValue: 554)
}
