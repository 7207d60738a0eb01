/// The `uidb64` part of a password reset link: the user's primary key in decimal, as URL-safe base64
/// without padding (Django's `urlsafe_base64_encode(force_bytes(user.pk))`, so `42` is `NDI`).
///
/// ```swift
/// PasswordResetUID.encode(42)      // "NDI"
/// PasswordResetUID.decode("NDI")   // 42
/// ```
public enum PasswordResetUID {
    /// The `uidb64` of the user with `id`.
    public static func encode(_ id: Int64) -> String {
        Base64URL.encode(Array(String(id).utf8))
    }

    /// The primary key `uidb64` names, or `nil` when it is not base64 of a decimal integer that fits
    /// in 64 bits (the confirmation page then shows its invalid-link page).
    ///
    /// Like Django: trailing `=` are optional, and the decoded text may have surrounding white space,
    /// a sign and `_` between digits (Python's `int()`). Unlike Django, characters outside the
    /// base64 alphabet are refused rather than skipped; no link Django makes contains any.
    public static func decode(_ uidb64: String) -> Int64? {
        guard uidb64.utf8.count <= 64, let bytes = Base64URL.decode(uidb64), !bytes.isEmpty else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return pythonInt(PythonText.strip(text))
    }

    /// Python's `int(text)` for ASCII digits: an optional sign, digits, single `_` between digits.
    static func pythonInt(_ text: String) -> Int64? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "_"), last != UInt8(ascii: "_") else { return nil }
        var magnitude: Int64 = 0
        var previousUnderscore = false
        for byte in bytes {
            if byte == UInt8(ascii: "_") {
                guard !previousUnderscore else { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        return negative ? -magnitude : magnitude
    }
}
