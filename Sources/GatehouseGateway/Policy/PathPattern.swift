import GatehouseHummingbird

/// A policy path: a prefix (`/static/`), or a glob when it contains `*` or `?` (`/reports/*/pdf`),
/// where `*` matches within one path segment, `**` across segments, `?` one character; a glob must
/// match the whole path.
///
/// ```swift
/// PathPattern("/reports/*/pdf").matches("/reports/2024/pdf")   // true
/// PathPattern("/static/").matches("/static/css/app.css")       // true
/// ```
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    /// Whether it is a glob rather than a prefix.
    public let isGlob: Bool

    /// Creates the pattern.
    public init(_ text: String) {
        self.text = text
        self.isGlob = text.contains("*") || text.contains("?")
    }

    /// The pattern as written.
    public var description: String { text }

    /// How specific the pattern is: its characters other than wildcards.
    public var literalCount: Int { text.count { $0 != "*" && $0 != "?" } }

    /// Whether `path` (normalized) is matched. Bytes are compared, not `Character`s: `/secret/`
    /// followed by a combining mark is one `Character` that is not `/`, yet still under `/secret/`.
    public func matches(_ path: String) -> Bool {
        guard isGlob else { return path.utf8.starts(with: text.utf8) }
        return Self.glob(Array(text.utf8), Array(path.utf8))
    }

    /// Whether the glob matches the whole path, in time proportional to pattern length × path length:
    /// `matched[p][s]` (pattern from `p`, path from `s`), filled from the ends, one pattern position
    /// at a time. Trying every split for every `*`, as it did, took time exponential in the number of
    /// `*`s (found by the `path` fuzz target: `/**/**/**/x` against a long path is a request anyone
    /// could send).
    private static func glob(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        let slash = UInt8(ascii: "/")
        let count = path.count
        var next = [Bool](repeating: false, count: count + 1)  // matched[p + 1]
        var afterNext = next  // matched[p + 2]
        next[count] = true  // the empty pattern matches the empty rest
        if pattern.isEmpty { return path.isEmpty }
        var current = next
        for p in stride(from: pattern.count - 1, through: 0, by: -1) {
            current = [Bool](repeating: false, count: count + 1)
            let first = pattern[p]
            if first == star {
                let crossesSegments = p + 1 < pattern.count && pattern[p + 1] == star
                let rest = crossesSegments ? afterNext : next  // `**` is one token: matched[p + 2]
                for s in stride(from: count, through: 0, by: -1) {
                    current[s] = rest[s] || (s < count && (crossesSegments || path[s] != slash) && current[s + 1])
                }
            } else {
                for s in 0..<count where first == UInt8(ascii: "?") ? path[s] != slash : path[s] == first {
                    current[s] = next[s + 1]
                }
            }
            afterNext = next
            next = current
        }
        return current[0]
    }

    /// The path a policy decides on: percent-escapes of unreserved characters decoded, `.` and `..`
    /// segments resolved, repeated slashes collapsed. `nil` (answer 400) for paths that would mean
    /// something else to the upstream than to the policy: an escaped `/`, `\` or `%`, a NUL, or a
    /// `..` above the root.
    ///
    /// ```swift
    /// PathPattern.normalize("/static/../secret/%61")   // "/secret/a"
    /// PathPattern.normalize("/a%2Fb")                   // nil
    /// ```
    public static func normalize(_ path: String) -> String? {
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }  // bytes: "/" + a combining mark is one Character
        var bytes: [UInt8] = []
        var input = Array(path.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard input.count >= 2, let high = FormFields.hexValue(input[input.startIndex]), let low = FormFields.hexValue(input[input.startIndex + 1]) else {
                    return nil
                }
                let decoded = high << 4 | low
                input = input.dropFirst(2)
                let unreserved = (decoded >= 0x30 && decoded <= 0x39) || (decoded >= 0x41 && decoded <= 0x5A)
                    || (decoded >= 0x61 && decoded <= 0x7A) || decoded == 0x2D || decoded == 0x2E || decoded == 0x5F || decoded == 0x7E
                guard unreserved else { return nil }  // keep the policy and the upstream reading the same bytes
                bytes.append(decoded)
            } else {
                guard byte != 0, byte != UInt8(ascii: "\\") else { return nil }
                bytes.append(byte)
            }
        }
        var segments: [ArraySlice<UInt8>] = []
        let parts = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        for part in parts {
            if part.elementsEqual([UInt8(ascii: ".")]) { continue }
            if part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                guard !segments.isEmpty else { return nil }
                segments.removeLast()
                continue
            }
            segments.append(part)
        }
        var result = "/" + segments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        let last = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last
        let endsInDirectory = bytes.last == UInt8(ascii: "/") || last.map { $0.elementsEqual([46]) || $0.elementsEqual([46, 46]) } == true
        if endsInDirectory, !segments.isEmpty { result += "/" }
        return result
    }
}
