import DNSCore
import DNSSEC
import Foundation

/// A moment given on the command line: `YYYYMMDDHHmmSS` (UTC), seconds since the epoch, `now`,
/// or `now+DURATION` / `now-DURATION` / `+DURATION` with BIND's units (`30d`, `1h30m`, or
/// plain seconds).
enum TimeArgument {
    static func parse(_ text: String, now: Int64) -> Int64? {
        if text == "now" { return now }
        for (prefix, sign) in [("now+", Int64(1)), ("now-", -1), ("+", 1)] where text.hasPrefix(prefix) {
            guard let seconds = PresentationScanner.parseDuration(ArraySlice(text.dropFirst(prefix.count).utf8)) else { return nil }
            return now + sign * Int64(seconds)
        }
        return DNSSECTime.parse(Array(text.utf8)).map(Int64.init)
    }

    /// Seconds since the epoch, now (the CLI reads the clock; the libraries are given it).
    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    static let help = "YYYYMMDDHHmmSS (UTC), seconds since 1970, now, now+DURATION, now-DURATION or +DURATION (e.g. +30d)"
}
