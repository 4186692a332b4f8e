/// The presentation forms of the RRSIG Signature Expiration and Inception fields (RFC 4034
/// §3.2): 32-bit counts of seconds since 1970-01-01T00:00:00Z, written `YYYYMMDDHHmmSS` in
/// UTC or as a plain decimal number. The conversion is done here by hand (days from/to civil
/// dates in the proleptic Gregorian calendar) so DNSCore needs no Foundation.
///
/// The values are absolute here: RFC 4034 §3.1.5 compares them with serial number arithmetic
/// (RFC 1982), which is the validator's business, not the text form's.
public enum DNSSECTime {
    /// Parses `YYYYMMDDHHmmSS` (exactly 14 digits, a real UTC date and time from
    /// 1970-01-01 to 2106-02-07T06:28:15, the last second a 32-bit field holds) or a plain
    /// decimal number of seconds (1 to 10 digits, at most 2^32 - 1). RFC 4034 §3.2 allows
    /// both; a 14-digit number is always the date form, since seconds never need 14 digits.
    /// Nil on anything else, including leap seconds (`…60`) and dates past 2106.
    public static func parse<Text: Collection>(_ text: Text) -> UInt32? where Text.Element == UInt8 {
        let digits = Array(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0 &- 48 < 10 }) else { return nil }
        if digits.count != 14 {
            guard digits.count <= 10 else { return nil }
            return PresentationScanner.decimal(digits[...], as: UInt32.self)
        }
        func field(_ start: Int, _ count: Int) -> Int {
            var value = 0
            for byte in digits[start..<(start + count)] { value = value * 10 + Int(byte - 48) }
            return value
        }
        let year = field(0, 4), month = field(4, 2), day = field(6, 2)
        let hour = field(8, 2), minute = field(10, 2), second = field(12, 2)
        guard year >= 1970, (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        guard seconds <= Int(UInt32.max) else { return nil }
        return UInt32(seconds)
    }

    /// `seconds` as `YYYYMMDDHHmmSS` in UTC, the form BIND and ldns print.
    public static func format(_ seconds: UInt32) -> String {
        var out = ""
        append(seconds, to: &out)
        return out
    }

    public static func append(_ seconds: UInt32, to out: inout String) {
        let total = Int(seconds)
        let (year, month, day) = civilFromDays(total / 86_400)
        let inDay = total % 86_400
        func put(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + rest / divisor)))
                rest %= divisor
                divisor /= 10
            }
        }
        put(year, width: 4)
        put(month, width: 2)
        put(day, width: 2)
        put(inDay / 3600, width: 2)
        put(inDay / 60 % 60, width: 2)
        put(inDay % 60, width: 2)
    }

    /// `seconds` since 1970 (any, negative clamps to 1970) as RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`
    /// in UTC — for certificate validity and reports, without Foundation's ICU formatter.
    public static func rfc3339(_ seconds: Int64) -> String {
        let total = Int(max(0, seconds))
        let (year, month, day) = civilFromDays(total / 86_400)
        let inDay = total % 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))Z"
    }

    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`:
    /// count in 400-year eras of 146097 days, with years starting on 1 March so the leap day
    /// is the last day of the year). Valid for years ≥ 0.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400                                         // 0...399
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1 // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear // 0...146096
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`, the inverse of
    /// `daysFromCivil`). Valid for `days` ≥ -719468 (year 0).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097                                                  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365 // 0...399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)    // 0...365
        let mp = (5 * dayOfYear + 2) / 153                                                // 0...11, March = 0
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
