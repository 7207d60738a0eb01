// The difflib and str helpers are internal: these tests need `@testable import`, which SwiftPM
// enables in debug builds only.
#if DEBUG
import Testing

@Suite("Python semantics")
struct PythonSemanticsTests {
    /// Values from CPython 3.13's difflib.
    @Test("SequenceMatcher ratios match difflib")
    func sequenceMatcher() throws {
        let cases: [(String, String, Double, Double, Double)] = [
            ("testclient", "testclient@example.com", 0.625, 0.625, 0.625),
            ("abcd", "bcde", 0.75, 0.75, 1.0),
            ("private volume", "private volume talks", 0.8235294117647058, 0.8235294117647058, 0.8235294117647058),
            ("qabxcd", "abycdf", 0.6666666666666666, 0.6666666666666666, 1.0),
            ("", "", 1.0, 1.0, 1.0),
            ("a", "", 0.0, 0.0, 0.0),
            ("ünïcödé", "unicode", 0.42857142857142855, 0.42857142857142855, 1.0),
            (
                String(repeating: "x", count: 50) + "abc", String(repeating: "a", count: 150) + String(repeating: "b", count: 60) + "abc",
                0.022556390977443608, 0.022556390977443608, 0.39849624060150374
            ),
            (
                String(repeating: "The quick brown fox", count: 12), String(repeating: "the lazy dog jumps over the quick brown fox", count: 6),
                0.0, 0.6666666666666666, 0.9382716049382716
            ),
            ("🦄a🦄b", "a🦄🦄", 0.5714285714285714, 0.8571428571428571, 0.8571428571428571),
            ("ab" + String(repeating: "e", count: 5) + "cd", "xyzeeeab" + String(repeating: "e", count: 197) + "cd", 0.08333333333333333, 0.08333333333333333, 0.08333333333333333),
        ]
        for (a, b, ratio, quick, realQuick) in cases {
            let matcher = SequenceMatcherProbe(a: a, b: b)
            #expect(matcher.ratio == ratio, "\(a.prefix(20)) / \(b.prefix(20))")
            #expect(matcher.quickRatio == quick, "\(a.prefix(20)) / \(b.prefix(20))")
            #expect(matcher.realQuickRatio == realQuick, "\(a.prefix(20)) / \(b.prefix(20))")
        }
        // Popular elements (autojunk) do not start matches but are reached by extension.
        #expect(SequenceMatcherProbe(a: "abeeeeecd", b: "xyzeeeab" + String(repeating: "e", count: 197) + "cd").blocks == [[0, 6, 7], [7, 205, 2], [9, 207, 0]])
        #expect(SequenceMatcherProbe(a: "qabxcd", b: "abycdf").blocks == [[1, 0, 2], [4, 3, 2], [6, 6, 0]])
    }

    /// Values from CPython 3.13.
    @Test("lower, strip, isdigit and re.split(\\W+) behave as in Python")
    func text() {
        #expect(PythonTextProbe.lower("ΟΔΟΣ ΣΑΣ Σ") == "οδος σας σ")
        #expect(PythonTextProbe.lower("İ") == "i\u{307}")
        #expect(PythonTextProbe.strip(" \u{1C}\u{3000}x\u{A0}") == "x")
        #expect(PythonTextProbe.isDigit("١٢٣"))
        #expect(PythonTextProbe.isDigit("²"))
        #expect(!PythonTextProbe.isDigit("½"))
        #expect(!PythonTextProbe.isDigit("Ⅻ"))
        #expect(!PythonTextProbe.isDigit(""))
        #expect(!PythonTextProbe.isDigit("-1"))
        #expect(PythonTextProbe.split("john.doe@example.com") == ["john", "doe", "example", "com"])
        #expect(PythonTextProbe.split("@lead") == ["", "lead"])
        #expect(PythonTextProbe.split("trail!") == ["trail", ""])
        #expect(PythonTextProbe.split("a_b-c") == ["a_b", "c"])
        #expect(PythonTextProbe.split("") == [""])
        #expect(PythonTextProbe.split("日本語 テスト") == ["日本語", "テスト"])
        #expect(PythonTextProbe.split("x²y") == ["x²y"])
    }
}
#endif
