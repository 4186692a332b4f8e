/// The progress of a scan as one line: done/total, domains per second, ETA and verdict
/// counts. Pure: counts and elapsed seconds in, text out.
public struct ScanProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int
    public var elapsed: Double
    public var verdicts: [String: Int]

    public init(done: Int, total: Int, elapsed: Double, verdicts: [String: Int]) {
        self.done = done
        self.total = total
        self.elapsed = elapsed
        self.verdicts = verdicts
    }

    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }

    /// `[#####.....] 50/100 12.3/s ETA 0:04 verified 20 dns-failed 30`; `bar` false leaves the
    /// bar out (the plain periodic line for logs).
    public func line(bar: Bool, width: Int = 20) -> String {
        var parts: [String] = []
        if bar {
            let filled = total > 0 ? min(width, done * width / total) : 0
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]")
        }
        parts.append("\(done)/\(total)")
        parts.append(String(format1: rate) + "/s")
        if rate > 0, total > done {
            let seconds = Int((Double(total - done) / rate).rounded(.up))
            parts.append("ETA " + (seconds >= 3600 ? "\(seconds / 3600):" + pad(seconds / 60 % 60) : "\(seconds / 60)") + ":" + pad(seconds % 60))
        }
        for (verdict, count) in verdicts.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { parts.append("\(verdict) \(count)") }
        return parts.joined(separator: " ")
    }

    func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
