import Foundation

/// Parsing and formatting rules shared by the hashers, matching what Django's Python does with the
/// same strings (`str.split`, `int()`, `base64.b64encode`, `must_update_salt`).
enum DjangoHashFormat {
    /// The alphabet of Django's salts: 62 characters, so each carries log2(62) bits.
    static let saltAlphabetSize = 62.0

    /// Django's `salt_entropy`: 128 bits.
    static let saltEntropyBits = 128.0

    /// Characters a new salt needs for ``saltEntropyBits``: ceil(128 / log2(62)) = 22.
    static var saltLength: Int { Int((saltEntropyBits / log2(saltAlphabetSize)).rounded(.up)) }

    /// A new random salt of Django's length and alphabet.
    static func makeSalt() -> String {
        RandomString.make(length: saltLength)
    }

    /// Django's `must_update_salt`: whether `salt` (counted in code points) has fewer bits than
    /// `entropy`.
    static func saltNeedsUpdate(_ salt: some StringProtocol, entropy: Double = saltEntropyBits) -> Bool {
        Double(salt.unicodeScalars.count) * log2(saltAlphabetSize) < entropy
    }

    /// Django's `_check_encode_args`: a salt must be non-empty and free of `$`.
    static func isValidSalt(_ salt: some StringProtocol) -> Bool {
        !salt.isEmpty && !salt.unicodeScalars.contains("$")
    }

    /// Python's `encoded.split("$", maxSplits)`: at most `maxSplits + 1` parts, empty parts kept.
    /// Splits on code points, so a `$` followed by a combining mark still separates, as in Python.
    static func split(_ encoded: String, maxSplits: Int) -> [Substring] {
        encoded.unicodeScalars.split(separator: "$", maxSplits: maxSplits, omittingEmptySubsequences: false)
            .map { Substring($0) }
    }

    /// Python's `encoded.split("$")`.
    static func split(_ encoded: some StringProtocol) -> [Substring] {
        split(String(encoded), maxSplits: Int.max)
    }

    /// Whether `text` is exactly `name`, byte for byte (Swift's `==` would also accept canonically
    /// equivalent spellings, Python's does not).
    static func isExactly(_ text: some StringProtocol, _ name: String) -> Bool {
        text.utf8.elementsEqual(name.utf8)
    }

    /// Whether `text` starts with `prefix`, code point by code point (as Python's `startswith`).
    static func hasPrefix(_ text: some StringProtocol, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    /// A positive decimal number in the canonical form Django writes (`%d`): ASCII digits, no sign,
    /// no leading zero, at most `maximum`. Anything else, which could never match a re-encoded hash,
    /// is `nil`.
    static func canonicalPositiveInteger(_ text: some StringProtocol, maximum: Int) -> Int? {
        let utf8 = text.utf8
        guard let first = utf8.first, first != UInt8(ascii: "0"), utf8.count <= 19 else { return nil }
        var value = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = added
        }
        guard value >= 1, value <= maximum else { return nil }
        return value
    }

    /// Python's `int(text)` for decimal text: surrounding whitespace, an optional sign, Unicode decimal
    /// digits, and single underscores between digits. Values that do not fit in `Int` are `nil`.
    static func pythonInteger(_ text: some StringProtocol) -> Int? {
        let scalars = Array(PythonText.strip(String(text)).unicodeScalars)
        var index = 0
        var negative = false
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            negative = scalars[index] == "-"
            index += 1
        }
        guard index < scalars.count else { return nil }
        var value = 0
        var previousWasDigit = false
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "_" {
                guard previousWasDigit, index < scalars.count else { return nil }
                previousWasDigit = false
                continue
            }
            guard scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue,
                let digitValue = Int(exactly: digit)
            else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(digitValue)
            guard !overflow1, !overflow2 else { return nil }
            value = added
            previousWasDigit = true
        }
        guard previousWasDigit else { return nil }
        return negative ? -value : value
    }

    /// Python's `base64.b64encode(bytes).decode("ascii")`.
    static func base64(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Lowercase hexadecimal, as Python's `hexdigest()`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether two encoded hashes are the same string, compared in constant time.
    static func sameEncoding(_ lhs: String, _ rhs: String) -> Bool {
        ConstantTime.equals(lhs, rhs)
    }
}
