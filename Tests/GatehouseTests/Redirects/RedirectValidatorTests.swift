import Gatehouse
import Testing

@Suite("Redirect validator")
struct RedirectValidatorTests {
    @Test("the request's own host plus configured hosts")
    func ownAndConfiguredHosts() {
        let validator = RedirectValidator(allowedHosts: ["accounts.example.com"])
        #expect(validator.isSafe("https://example.com/next", requestHost: "example.com", requireHTTPS: true))
        #expect(validator.isSafe("https://accounts.example.com/", requestHost: "example.com", requireHTTPS: true))
        #expect(!validator.isSafe("https://evil.example/", requestHost: "example.com", requireHTTPS: true))
        #expect(!validator.isSafe("//example.com/", requestHost: "example.com", requireHTTPS: true))
        #expect(validator.isSafe("//example.com/", requestHost: "example.com", requireHTTPS: false))
        #expect(validator.isSafe("/relative", requestHost: nil, requireHTTPS: true))
        #expect(!validator.isSafe("https://example.com/", requestHost: nil, requireHTTPS: true))
        #expect(validator.isSafe("http://example.com:8000/", requestHost: "example.com:8000", requireHTTPS: false))
    }

    @Test("safeRedirect returns the URL unchanged, or nil")
    func safeRedirect() {
        let validator = RedirectValidator()
        #expect(validator.safeRedirect("  /next/ ", requestHost: "example.com", requireHTTPS: false) == "  /next/ ")
        #expect(validator.safeRedirect("//evil.example", requestHost: "example.com", requireHTTPS: false) == nil)
        #expect(validator.safeRedirect(nil, requestHost: "example.com", requireHTTPS: false) == nil)
        #expect(validator.safeRedirect("", requestHost: "example.com", requireHTTPS: false) == nil)
    }

    @Test("hosts are compared code point for code point, not by Swift's canonical equivalence")
    func canonicalEquivalence() {
        #expect(RedirectValidator.urlHasAllowedHostAndScheme("http://caf\u{E9}/", allowedHosts: ["caf\u{E9}"]))
        #expect(!RedirectValidator.urlHasAllowedHostAndScheme("http://cafe\u{301}/", allowedHosts: ["caf\u{E9}"]))
        #expect(!RedirectValidator.urlHasAllowedHostAndScheme("http://caf\u{E9}/", allowedHosts: ["cafe\u{301}"]))
    }

    @Test("the length limit counts code points")
    func lengthLimit() {
        let limit = RedirectValidator.maximumURLLength
        #expect(RedirectValidator.urlHasAllowedHostAndScheme("/" + String(repeating: "\u{E9}", count: limit - 1), allowedHosts: []))
        #expect(!RedirectValidator.urlHasAllowedHostAndScheme("/" + String(repeating: "\u{E9}", count: limit), allowedHosts: []))
        // 2048 code points in fewer Swift Characters.
        #expect(RedirectValidator.urlHasAllowedHostAndScheme("/" + String(repeating: "e\u{301}", count: (limit - 2) / 2), allowedHosts: []))
        #expect(!RedirectValidator.urlHasAllowedHostAndScheme("/" + String(repeating: "e\u{301}", count: limit / 2), allowedHosts: []))
    }

    @Test("hostile URLs give a verdict, never a trap")
    func hostile() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [String] = [
            "/", "\\", ":", "[", "]", "%", "@", "?", "#", "a", "v", "1", ".", "http", "//", "\u{0}", "\t", "\n", " ",
            "\u{2100}", "\u{FF0F}", "é", "e\u{301}", "🔒", "\u{FEFF}", "\u{10FFFF}", "::", "ffff",
        ]
        for _ in 0..<3000 {
            let count = Int.random(in: 0...24, using: &generator)
            let url = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            _ = RedirectValidator.urlHasAllowedHostAndScheme(url, allowedHosts: ["testserver", "[::1]"], requireHTTPS: Bool.random(using: &generator))
        }
        _ = RedirectValidator.urlHasAllowedHostAndScheme(String(repeating: "[", count: 100_000), allowedHosts: [])
        _ = RedirectValidator.urlHasAllowedHostAndScheme("//" + String(repeating: ":", count: 2000), allowedHosts: [])
        _ = RedirectValidator.urlHasAllowedHostAndScheme("//[" + String(repeating: ":", count: 2000) + "]", allowedHosts: [])
    }

    /// Found by the `redirect` fuzz target (docs/security.md, "Fuzzing"): safe by Django's rules, but
    /// with the tab kept in a `Location` a browser goes to evil.example.
    @Test("tabs and line breaks are refused, unlike Django's bare rules")
    func tabsAndLineBreaks() {
        let validator = RedirectValidator()
        for url in ["/\t//evil.example/", "/\t/\t/evil.example", "/\r\n//evil.example", "\r\r/\r\\\r/\\\t\tM", "/profile/\t", "/a\nb"] {
            #expect(!validator.isSafe(url, requestHost: "testserver", requireHTTPS: false), "\(url.debugDescription)")
            #expect(validator.safeRedirect(url, requestHost: "testserver", requireHTTPS: false) == nil)
        }
        #expect(RedirectValidator.urlHasAllowedHostAndScheme("/\t//evil.example/", allowedHosts: ["testserver"]), "Django's rule itself is unchanged")
        #expect(validator.isSafe("/profile/", requestHost: "testserver", requireHTTPS: false))
    }
}
