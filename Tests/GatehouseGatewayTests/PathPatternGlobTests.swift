import Gatehouse
import GatehouseGateway
import Testing

/// Found by the `path` fuzz target (docs/security.md, "Fuzzing"): glob matching tried every split for
/// every `*`, so its time grew exponentially with the number of `*`s in the pattern, and a long
/// request path against a pattern with a few `**` took minutes.
@Suite("Path pattern globs")
struct PathPatternGlobTests {
    /// The recursive matcher it replaced, as the reference for short inputs.
    static func reference(_ pattern: ArraySlice<UInt8>, _ path: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        let slash = UInt8(ascii: "/")
        if first == UInt8(ascii: "*") {
            let crossesSegments = pattern.dropFirst().first == UInt8(ascii: "*")
            let rest = pattern.dropFirst(crossesSegments ? 2 : 1)
            var candidate = path
            while true {
                if reference(rest, candidate) { return true }
                guard let next = candidate.first, crossesSegments || next != slash else { return false }
                candidate = candidate.dropFirst()
            }
        }
        guard let character = path.first else { return false }
        if first == UInt8(ascii: "?") { return character != slash && reference(pattern.dropFirst(), path.dropFirst()) }
        return first == character && reference(pattern.dropFirst(), path.dropFirst())
    }

    /// What a rule matches: the path with or without its trailing slash (docs/gateway.md).
    static func expected(_ pattern: String, _ path: String) -> Bool {
        let other = path.utf8.count > 1 && path.utf8.last == UInt8(ascii: "/") ? String(path.utf8.dropLast())! : path + "/"
        return reference(Array(pattern.utf8)[...], Array(path.utf8)[...]) || reference(Array(pattern.utf8)[...], Array(other.utf8)[...])
    }

    @Test func agreesWithTheRecursiveMatcher() {
        let fixed: [(String, String)] = [
            ("/reports/*/pdf", "/reports/2024/pdf"), ("/reports/*/pdf", "/reports/a/b/pdf"), ("/a/**", "/a/b/c"),
            ("/a/**/c", "/a/c"), ("/a/**/c", "/a//c"), ("/a?c", "/abc"), ("/a?c", "/a/c"), ("***", "/x/y"), ("*", ""),
            ("/*.css", "/app.css"), ("/**.css", "/a/b.css"), ("/a*", "/a"), ("?", ""),
        ]
        for (pattern, path) in fixed {
            #expect(PathPattern(pattern).matches(path, caseSensitive: true) == Self.expected(pattern, path), "\(pattern) \(path)")
        }
        var generator = SystemRandomNumberGenerator()
        let patternPieces = ["*", "**", "?", "/", "a", "b"]
        let pathPieces = ["/", "a", "b", "ab"]
        for _ in 0..<5_000 {
            let pattern = "*" + (0..<Int.random(in: 0...6, using: &generator)).map { _ in patternPieces.randomElement(using: &generator)! }.joined()
            let path = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pathPieces.randomElement(using: &generator)! }.joined()
            #expect(PathPattern(pattern).matches(path, caseSensitive: true) == Self.expected(pattern, path), "\(pattern) \(path)")
        }
    }

    @Test func manyStarsAgainstALongPathAreQuick() {
        let path = "/" + String(repeating: "a/", count: 4_000) + "b"
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!PathPattern("/**/**/**/**/x").matches(path))
            #expect(PathPattern("/**/**/**/**/b").matches(path))
            #expect(!PathPattern("***********/*?c/").matches(path))
            #expect(!PathPattern("/*a*a*a*a*a*a*a*a*c").matches(String(repeating: "a", count: 4_000)))
        }
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    /// Also found by the `path` target: prefixes were compared by `Character`, so a path whose next
    /// character after the prefix was a combining mark escaped the rule (`/secret/\u{301}x` fell to
    /// the default requirement).
    @Test func prefixesCompareBytes() {
        #expect(PathPattern("/secret/").matches("/secret/\u{301}x"))
        #expect(PathPattern("/secret").matches("/secret\u{301}"))
        #expect(PathPattern("/static/").matches("/static/app.css"))
        #expect(!PathPattern("/static/").matches("/stati/"))
        let policy = GatewayPolicy(defaultRequirement: .public, rules: [.init(pattern: PathPattern("/secret/"), requirement: .deny)])
        #expect(policy.rule(for: "/secret/\u{301}x", method: "GET")?.requirement == .deny)
    }

    /// Found by the `path` target: `normalize` checked its leading `/` by `Character`, so
    /// `/./\u{35D}x` normalized to `/\u{35D}x`, which `normalize` itself refused.
    @Test func normalizeReadsTheLeadingSlashAsAByte() {
        #expect(PathPattern.normalize("/%CD%9Dx") == "/\u{35D}x")
        #expect(PathPattern.normalize("//%CD%9Dx") == "/\u{35D}x")
        #expect(PathPattern.normalize("/\u{35D}x") == nil, "raw non-ASCII is refused: clients escape it")
        #expect(PathPattern.normalize("/./\u{35D}x") == nil, "dot segments are refused")
        #expect(PathPattern.normalize("\u{35D}/x") == nil)
    }
}
