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

    /// The templates' `{{...}}` are rendered with Gatehouse's byte escaping (the `GATEHOUSE_HTML`
    /// content type), not swift-mustache's, which goes by `Character`: the fuzz target's input
    /// `"\u{362} autofocus onfocus=alert(1) x="` stays inside `value="{{next}}"`.
    @Test func templatesEscapeAttributesByBytes() {
        let next = "\"\u{362} autofocus onfocus=alert(1) x=\""
        let page = GatehouseTemplates().render("registration/login", ["title": "Log in", "next": next]) ?? ""
        let scalars = Array(page.unicodeScalars)
        let rawQuote = scalars.indices.dropLast().contains { scalars[$0] == "\"" && scalars[$0 + 1] == "\u{362}" }
        #expect(!page.isEmpty && !rawQuote)
    }
}
