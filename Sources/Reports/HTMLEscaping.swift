/// Text made safe for HTML and SVG content and attribute values: every character that could
/// end a text run or an attribute (`& < > " '`) becomes a character reference (HTML Living
/// Standard §13.1.4), so nothing from the data can open a tag.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
