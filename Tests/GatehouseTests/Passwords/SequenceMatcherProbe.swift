#if DEBUG
@testable import Gatehouse

/// Exposes the internal difflib port to tests.
struct SequenceMatcherProbe {
    let ratio: Double
    let quickRatio: Double
    let realQuickRatio: Double
    let blocks: [[Int]]

    init(a: String, b: String) {
        let matcher = SequenceMatcher(a: a, b: b)
        ratio = matcher.ratio()
        quickRatio = matcher.quickRatio()
        realQuickRatio = matcher.realQuickRatio()
        blocks = matcher.matchingBlocks().map { [$0.a, $0.b, $0.size] }
    }
}

/// Exposes the internal Python string helpers to tests.
enum PythonTextProbe {
    static func lower(_ text: String) -> String { PythonText.lower(text) }
    static func strip(_ text: String) -> String { PythonText.strip(text) }
    static func isDigit(_ text: String) -> Bool { PythonText.isDigit(text) }
    static func split(_ text: String) -> [String] { PythonText.splitOnNonWordRuns(text) }
}
#endif
