/// Python 3 string operations that Django's password code relies on, reproduced on Unicode scalars
/// (Python's characters are code points, not grapheme clusters).
enum PythonText {
    /// Python's `str.isspace()` for one character: bidirectional class WS, B or S, or category Zs.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000:
            return true
        default:
            return false
        }
    }

    /// Python's `str.strip()` without arguments.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...last])
    }

    /// Python's `str.lower()`: full Unicode lowercase mappings, with the final-sigma rule for `Σ`.
    static func lower(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\u{03A3}" {
                result.append(isFinalSigma(scalars, at: index) ? "\u{03C2}" : "\u{03C3}")
            } else if scalar.properties.changesWhenLowercased {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Unicode's Final_Sigma condition: a cased letter before (skipping case-ignorables) and no cased
    /// letter after (skipping case-ignorables).
    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0, scalars[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, scalars[before].properties.isCased else { return false }
        var after = index + 1
        while after < scalars.count, scalars[after].properties.isCaseIgnorable { after += 1 }
        return after == scalars.count || !scalars[after].properties.isCased
    }

    /// Python's `str.isdigit()`: non-empty and every character has Numeric_Type Decimal or Digit.
    static func isDigit(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.numericType {
            case .decimal?, .digit?: true
            default: false
            }
        }
    }

    /// Python's `len(text)`: the number of code points.
    static func length(_ text: String) -> Int {
        text.unicodeScalars.count
    }

    /// Whether `scalar` matches `\w` in a Python `str` pattern: `str.isalnum()` or `_`.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        if scalar.properties.numericType != nil { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return false
        }
    }

    /// Python's `re.split(r"\W+", text)`: the runs between non-word characters, with an empty first or
    /// last part when `text` starts or ends with one.
    static func splitOnNonWordRuns(_ text: String) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var inSeparator = false
        for scalar in text.unicodeScalars {
            if isWordCharacter(scalar) {
                inSeparator = false
                current.append(scalar)
            } else if !inSeparator {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                inSeparator = true
            }
        }
        parts.append(String(current))
        return parts
    }
}
