import GatehouseGateway

/// Request paths through `PathPattern.normalize` and the example policy's patterns; an input
/// `PATTERN\nPATH` also matches PATH against its own PATTERN. A normalized path must start with `/`,
/// hold no empty, `.` or `..` segment, and normalize to itself when normalize accepts it again.
enum PathTarget {
    static let patterns = ["/static/", "/secret/", "/reports/", "/reports/*/pdf", "/api/**/admin/*", "/a?c/**/x"].map(PathPattern.init)

    static func run(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = parts.last, let normalized = PathPattern.normalize(String(path)) else { return }
        precondition(normalized.utf8.first == UInt8(ascii: "/"), "normalized path without a leading slash")
        let segments = normalized.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
            .map { String(decoding: $0, as: UTF8.self).unicodeScalars.map(\.value) }
        precondition(!segments.dropLast().contains { $0.isEmpty || $0 == [46] || $0 == [46, 46] }, "empty, . or .. segment left")
        precondition(segments.last != [46] && segments.last != [46, 46], ". or .. segment left at the end")
        // A prefix rule covers every path whose bytes start with it.
        if normalized.utf8.starts(with: "/static/".utf8) { precondition(patterns[0].matches(normalized), "/static/ does not cover \(normalized)") }
        // Decoding may produce characters that must be escaped in a path (`%20` is a space), which
        // normalize refuses raw; anything it accepts again must come back unchanged.
        if let again = PathPattern.normalize(normalized) { precondition(again == normalized, "normalize is not idempotent") }
        for pattern in patterns { _ = pattern.matches(normalized) }
        if parts.count == 2 { _ = PathPattern(String(parts[0])).matches(normalized) }
    }
}
