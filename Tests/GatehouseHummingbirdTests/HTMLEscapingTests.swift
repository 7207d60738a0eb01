import GatehouseHummingbird
import Testing

/// Found by the `form` fuzz target (Fuzz/, docs/security.md): escaping went by `Character`, so a
/// quote or angle bracket followed by a combining mark (one grapheme cluster) came out raw.
@Suite("HTML escaping")
struct HTMLEscapingTests {
    @Test func escapesTheFiveCharacters() {
        #expect(HTMLEscaping.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;")
        #expect(HTMLEscaping.escape("zoë 🙂") == "zoë 🙂")
    }

    @Test func escapesSpecialCharactersFollowedByCombiningMarks() {
        #expect(HTMLEscaping.escape("\"\u{362} onmouseover=alert(1)") == "&quot;\u{362} onmouseover=alert(1)")
        #expect(HTMLEscaping.escape("'\u{301}<\u{338}>\u{20DD}&\u{200D}") == "&#x27;\u{301}&lt;\u{338}&gt;\u{20DD}&amp;\u{200D}")
        for special in ["\"", "'", "<", ">"] {
            let escaped = HTMLEscaping.escape(special + "\u{300}x")
            #expect(!escaped.unicodeScalars.contains(special.unicodeScalars.first!), "\(special) survived")
        }
    }

    /// The templates' `{{...}}` go through swift-mustache's own escaping, which also goes by
    /// `Character` (swift-mustache 2.1.1, `String.htmlEscape`): on the login page,
    /// `GET /accounts/login/?next=%22%CD%A2%20autofocus%20onfocus%3Dalert(1)%20x%3D%22` puts a raw `"`
    /// into `value="{{next}}"`. Not fixed here (see docs/security.md, "Fuzzing"); this expectation
    /// starts failing, as it should, once it is.
    @Test func templatesEscapeAttributesByCharacter() {
        let next = "\"\u{362} autofocus onfocus=alert(1) x=\""
        let page = GatehouseTemplates().render("registration/login", ["title": "Log in", "next": next]) ?? ""
        let scalars = Array(page.unicodeScalars)
        let rawQuote = scalars.indices.dropLast().contains { scalars[$0] == "\"" && scalars[$0 + 1] == "\u{362}" }
        withKnownIssue("swift-mustache escapes by Character, not by code point") {
            #expect(!rawQuote)
        }
    }
}
