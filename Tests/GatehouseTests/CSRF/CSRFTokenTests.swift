import Gatehouse
import Testing

@Suite("CSRF secrets and masked tokens")
struct CSRFTokenTests {
    static let secret = "abcdefghijklmnopqrstuvwxyzABCDEF"
    static let alphabet = Set(CSRFToken.allowedCharacters)

    @Test("new secrets: 32 characters of [a-zA-Z0-9], all different")
    func makeSecret() {
        var seen: Set<String> = []
        for _ in 0..<200 {
            let secret = CSRFToken.makeSecret()
            #expect(secret.count == 32)
            #expect(secret.allSatisfy(Self.alphabet.contains))
            seen.insert(secret)
        }
        #expect(seen.count == 200)
    }

    @Test("mask: 64 characters, a fresh mask each time, round-trips")
    func maskRoundTrip() throws {
        var tokens: Set<String> = []
        for _ in 0..<100 {
            let secret = CSRFToken.makeSecret()
            let token = try CSRFToken.mask(secret)
            #expect(token.count == 64)
            #expect(token.allSatisfy(Self.alphabet.contains))
            #expect(try CSRFToken.unmask(token) == secret)
            #expect(CSRFToken.tokensMatch(given: token, secret: secret))
            #expect(CSRFToken.tokensMatch(given: secret, secret: secret))
            tokens.insert(try CSRFToken.mask(Self.secret))
        }
        #expect(tokens.count == 100)
    }

    @Test("mask with a known mask: index arithmetic modulo 62")
    func knownMask() throws {
        let b = String(repeating: "b", count: 32)
        #expect(try CSRFToken.mask(b, with: b) == b + String(repeating: "c", count: 32))
        let nine = String(repeating: "9", count: 32)
        // 9 is index 61: 61 + 61 = 122 = 60 (mod 62) = "8"
        #expect(try CSRFToken.mask(nine, with: nine) == nine + String(repeating: "8", count: 32))
        let a = String(repeating: "a", count: 32)
        #expect(try CSRFToken.mask(Self.secret, with: a) == a + Self.secret)
    }

    @Test("mask and unmask refuse malformed input instead of trapping")
    func maskErrors() {
        #expect(throws: CSRFTokenFormatError.incorrectLength) { try CSRFToken.mask("short") }
        #expect(throws: CSRFTokenFormatError.incorrectLength) { try CSRFToken.mask(Self.secret + Self.secret) }
        #expect(throws: CSRFTokenFormatError.invalidCharacters) { try CSRFToken.mask(String(Self.secret.dropLast()) + "!") }
        #expect(throws: CSRFTokenFormatError.invalidCharacters) { try CSRFToken.mask(Self.secret, with: String(repeating: "é", count: 32)) }
        #expect(throws: CSRFTokenFormatError.incorrectLength) { try CSRFToken.unmask(Self.secret) }
        #expect(throws: CSRFTokenFormatError.invalidCharacters) { try CSRFToken.unmask(String(repeating: "-", count: 64)) }
        #expect(throws: CSRFTokenFormatError.incorrectLength) { try CSRFToken.unmask("") }
    }

    @Test("tokensMatch is false for anything malformed, on either side")
    func tokensMatchHostile() throws {
        let token = try CSRFToken.mask(Self.secret)
        for given in ["", "a", Self.secret + "a", token + "a", String(token.dropLast()), String(repeating: "é", count: 64), token.uppercased() + "!"] {
            #expect(!CSRFToken.tokensMatch(given: given, secret: Self.secret), "\(given)")
        }
        for secret in ["", token, String(Self.secret.dropLast()) + "-", String(repeating: "\u{0}", count: 32)] {
            #expect(!CSRFToken.tokensMatch(given: token, secret: secret), "\(secret.debugDescription)")
        }
        #expect(!CSRFToken.tokensMatch(given: String(repeating: "a", count: 64), secret: String(repeating: "b", count: 32)))
        #expect(CSRFToken.tokensMatch(given: String(repeating: "a", count: 64), secret: String(repeating: "a", count: 32)))
    }

    @Test("the cookie's secret: missing or malformed is nil, legacy masked cookies are unmasked")
    func secretFromCookie() throws {
        #expect(CSRFToken.secret(fromCookie: nil) == nil)
        #expect(CSRFToken.secret(fromCookie: "") == nil)
        #expect(CSRFToken.secret(fromCookie: "abc") == nil)
        #expect(CSRFToken.secret(fromCookie: String(Self.secret.dropLast()) + "?") == nil)
        #expect(CSRFToken.secret(fromCookie: Self.secret) == Self.secret)
        #expect(CSRFToken.secret(fromCookie: try CSRFToken.mask(Self.secret)) == Self.secret)
    }

    @Test("issue: reuses a good cookie, replaces a bad one, unmasks a legacy one")
    func issue() throws {
        let kept = CSRFToken.issue(cookie: Self.secret)
        #expect(kept.secret == Self.secret)
        #expect(!kept.isNewSecret)
        #expect(try CSRFToken.unmask(kept.token) == Self.secret)

        for bad in [nil, "", "garbage", String(repeating: "!", count: 32)] as [String?] {
            let fresh = CSRFToken.issue(cookie: bad)
            #expect(fresh.isNewSecret)
            #expect(fresh.secret != bad)
            #expect(fresh.secret.count == 32)
            #expect(CSRFToken.tokensMatch(given: fresh.token, secret: fresh.secret))
        }

        let legacy = CSRFToken.issue(cookie: try CSRFToken.mask(Self.secret))
        #expect(legacy.secret == Self.secret)
        #expect(legacy.isNewSecret)
    }

    @Test("rotate: a new well-formed secret, never the old one")
    func rotate() {
        for _ in 0..<50 {
            let rotated = CSRFToken.rotate(replacing: Self.secret)
            #expect(rotated != Self.secret)
            #expect(rotated.count == 32)
            #expect(rotated.allSatisfy(Self.alphabet.contains))
        }
        #expect(CSRFToken.rotate().count == 32)
    }

    @Test("format validation counts code points and checks length first")
    func formatValidation() {
        #expect(throws: Never.self) { try CSRFToken.validateFormat(Self.secret) }
        #expect(throws: CSRFTokenFormatError.incorrectLength) { try CSRFToken.validateFormat(String(repeating: "é", count: 33)) }
        #expect(throws: CSRFTokenFormatError.invalidCharacters) { try CSRFToken.validateFormat(String(repeating: "é", count: 32)) }
        // 16 "e + combining acute" pairs: 16 Swift Characters but 32 code points, like Python's len().
        #expect(throws: CSRFTokenFormatError.invalidCharacters) { try CSRFToken.validateFormat(String(repeating: "e\u{301}", count: 16)) }
        // Emoji: 4 UTF-8 bytes each; 32 of them are 32 code points.
        #expect(throws: CSRFTokenFormatError.invalidCharacters) { try CSRFToken.validateFormat(String(repeating: "🔒", count: 32)) }
        #expect(throws: CSRFTokenFormatError.incorrectLength) { try CSRFToken.validateFormat(String(repeating: "🔒", count: 8)) }
    }

    @Test("hostile strings never trap")
    func hostile() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [String] = ["a", "Z", "0", "é", "\u{0}", "🔒", "e\u{301}", "\u{FEFF}", " ", "\n", "%", "\u{10FFFF}"]
        for _ in 0..<500 {
            let length = Int.random(in: 0...70, using: &generator)
            let text = String((0..<length).map { _ in pieces.randomElement(using: &generator) ?? "a" }.joined())
            _ = try? CSRFToken.validateFormat(text)
            _ = try? CSRFToken.unmask(text)
            _ = try? CSRFToken.mask(text)
            _ = CSRFToken.tokensMatch(given: text, secret: Self.secret)
            _ = CSRFToken.tokensMatch(given: Self.secret, secret: text)
            _ = CSRFToken.secret(fromCookie: text)
            _ = CSRFToken.issue(cookie: text)
        }
        _ = CSRFToken.tokensMatch(given: String(repeating: "a", count: 1_000_000), secret: Self.secret)
    }
}
