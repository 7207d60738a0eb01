/// One reply of an SMTP server: its code and the text of its lines (RFC 5321 section 4.2), which
/// may span several lines (`250-first`, `250 last`).
struct SMTPReply: Sendable, Equatable {
    /// The three-digit code (200-599).
    var code: Int
    /// The text of each line, after the code and its separator.
    var lines: [String]

    /// 2xx.
    var isPositive: Bool { (200..<300).contains(code) }

    /// The extensions an EHLO reply announces (every line after the first), by upper-cased keyword,
    /// with their parameters: `["AUTH": ["PLAIN", "LOGIN"], "8BITMIME": []]`.
    var extensions: [String: [String]] {
        var found: [String: [String]] = [:]
        for line in lines.dropFirst() {
            var words = line.split(separator: " ", omittingEmptySubsequences: true).map { $0.uppercased() }
            guard var keyword = words.first else { continue }
            // Some servers still write the pre-standard `AUTH=LOGIN PLAIN`.
            if keyword.hasPrefix("AUTH=") {
                words.insert(String(keyword.dropFirst(5)), at: 1)
                keyword = "AUTH"
            }
            found[keyword, default: []] += words.dropFirst()
        }
        return found
    }
}
