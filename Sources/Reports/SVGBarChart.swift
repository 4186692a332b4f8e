/// A horizontal bar chart as inline SVG (SVG 1.1 `rect`/`text` only: no script, no external
/// reference): one row per tally, the bar's length proportional to its count, the label at
/// the left and the count at the bar's end.
struct SVGBarChart {
    var title: String
    var bars: [ReportSummary.Tally]

    static let labelWidth = 300
    static let barArea = 360
    static let rowHeight = 24
    static let barHeight = 16

    func render() -> String {
        let width = Self.labelWidth + Self.barArea + 60
        let height = max(1, bars.count) * Self.rowHeight + 8
        let maximum = bars.map(\.count).max() ?? 0
        var svg = "<svg role=\"img\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" aria-label=\"\(HTMLEscaping.escape(title))\">"
        svg += "<title>\(HTMLEscaping.escape(title))</title>"
        for (index, bar) in bars.enumerated() {
            let y = index * Self.rowHeight + 4
            let length = maximum > 0 ? (bar.count * Self.barArea + maximum / 2) / maximum : 0
            let key = HTMLEscaping.escape(bar.key)
            svg += "<text x=\"\(Self.labelWidth - 8)\" y=\"\(y + 13)\" text-anchor=\"end\">\(key)</text>"
            svg += "<rect class=\"bar\" x=\"\(Self.labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"\(Self.barHeight)\" "
                + "data-key=\"\(key)\" data-count=\"\(bar.count)\"><title>\(key): \(bar.count)</title></rect>"
            svg += "<text x=\"\(Self.labelWidth + length + 6)\" y=\"\(y + 13)\">\(bar.count)</text>"
        }
        return svg + "</svg>"
    }
}
