@testable import DNSCore
import Testing

@Suite struct RFC4034_3_2_SignatureTimeTests {
    /// Values computed with Python's `calendar.timegm`.
    static let known: [(String, UInt32)] = [
        ("19700101000000", 0),
        ("20030322173103", 1_048_354_263),   // RFC 4034 §3.3 expiration
        ("20030220173103", 1_045_762_263),   // RFC 4034 §3.3 inception
        ("20051021000000", 1_129_852_800),   // RFC 5155 Appendix A inception
        ("20150420235959", 1_429_574_399),   // RFC 5155 Appendix A expiration
        ("20150819220000", 1_440_021_600),   // RFC 8080 §6 expiration
        ("20150729220000", 1_438_207_200),   // RFC 8080 §6 inception
        ("20000229000000", 951_782_400),     // leap day of a year divisible by 400
        ("20240229123456", 1_709_210_096),
        ("21060207062815", UInt32.max),      // the last second a 32-bit field holds
    ]

    @Test(arguments: known)
    func dateFormRoundTrips(text: String, seconds: UInt32) {
        #expect(DNSSECTime.parse(Array(text.utf8)) == seconds)
        #expect(DNSSECTime.format(seconds) == text)
    }

    @Test(arguments: ["0", "1440021600", "4294967295", "0000000001"])
    func decimalSecondsAreAccepted(_ text: String) {
        #expect(DNSSECTime.parse(Array(text.utf8)) == UInt32(text))
    }

    @Test(arguments: [
        "", "-1", "+1", "1e9", "2015081922000Z", " 20150819220000",
        "4294967296",         // over 32 bits
        "99999999999",        // 11 digits: neither form
        "2003032217310",      // 13 digits
        "200303221731030",    // 15 digits
        "19691231235959",     // before 1970
        "21060207062816",     // one second past 2^32 - 1
        "99991231235959",     // far past 2106
        "20231301000000",     // month 13
        "20230001000000",     // month 0
        "20230100000000",     // day 0
        "20230132000000",     // day 32
        "20230229000000",     // not a leap year
        "21000229000000",     // 2100 is not a leap year
        "20230431000000",     // April has 30 days
        "20230101240000",     // hour 24
        "20230101006000",     // minute 60
        "20230101000060",     // no leap seconds
    ])
    func rejectsMalformed(_ text: String) {
        #expect(DNSSECTime.parse(Array(text.utf8)) == nil)
    }

    /// civil-from-days against a plain day-by-day count, across leap years, century years and
    /// the 32-bit range.
    @Test func civilFromDaysAgreesWithCounting() {
        var year = 1970, month = 1, day = 1
        let lastDay = Int(UInt32.max) / 86_400
        var firstMismatch: Int?
        for days in 0...lastDay {
            let civil = DNSSECTime.civilFromDays(days)
            if civil != (year, month, day) || DNSSECTime.daysFromCivil(year: year, month: month, day: day) != days {
                firstMismatch = days
                break
            }
            day += 1
            if day > DNSSECTime.daysInMonth(year: year, month: month) {
                day = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
        #expect(firstMismatch == nil)
        #expect(year == 2106 && month == 2 && day == 8)
    }

    @Test func formatAndParseAreInversesAcrossTheRange() {
        var value: UInt64 = 0
        while value <= UInt64(UInt32.max) {
            let seconds = UInt32(value)
            #expect(DNSSECTime.parse(Array(DNSSECTime.format(seconds).utf8)) == seconds)
            value += 9_999_991
        }
    }

    @Test func scannerReportsTheTokenOfABadTime() {
        let error = #expect(throws: PresentationError.self) {
            _ = try RData(type: .rrsig, text: "A 8 2 3600 20230229000000 20230101000000 1 example. AA==")
        }
        #expect(error?.code == .badValue)
        #expect(error?.column == 12)
    }

    /// RFC 3339 §5.6 `date-time` in UTC, past 2106 (where 32-bit DNSSEC time ends) and at
    /// leap days.
    @Test func rfc3339() {
        #expect(DNSSECTime.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(DNSSECTime.rfc3339(1_767_225_600) == "2026-01-01T00:00:00Z")
        #expect(DNSSECTime.rfc3339(951_782_400 + 86_399) == "2000-02-29T23:59:59Z")
        #expect(DNSSECTime.rfc3339(4_733_510_400) == "2120-01-01T00:00:00Z")
        #expect(DNSSECTime.rfc3339(-5) == "1970-01-01T00:00:00Z")
    }
}
