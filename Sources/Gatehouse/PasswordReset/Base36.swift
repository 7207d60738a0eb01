/// Django's base 36 numbers (`int_to_base36`, `base36_to_int`): digits `0-9a-z`, the timestamp part of
/// a password reset token.
///
/// Decoding is stricter than Python's `int(text, 36)` (no sign, spaces, underscores or capitals), and
/// that changes no verdict: a token is only ever accepted when it equals the one made from the
/// decoded number, which is always in this canonical form.
package enum Base36 {
    private static let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// `value` in base 36; `nil` for a negative number (Django raises).
    package static func encode(_ value: Int64) -> String? {
        guard value >= 0 else { return nil }
        if value == 0 { return "0" }
        var rest = value
        var out: [UInt8] = []
        while rest > 0 {
            out.append(digits[Int(rest % 36)])
            rest /= 36
        }
        return String(decoding: out.reversed(), as: UTF8.self)
    }

    /// The number `text` spells; `nil` when it is empty, longer than 13 digits (Django's limit: enough
    /// for any 64-bit number), holds anything but `0-9a-z`, or does not fit in 64 bits.
    package static func decode(_ text: Substring.UTF8View) -> Int64? {
        guard !text.isEmpty, text.count <= 13 else { return nil }
        var value: Int64 = 0
        for byte in text {
            let digit: Int64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int64(byte - UInt8(ascii: "a")) + 10
            default: return nil
            }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 36)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// The number `text` spells (see ``decode(_:)-(Substring.UTF8View)``).
    package static func decode(_ text: String) -> Int64? {
        decode(Substring(text).utf8)
    }
}
