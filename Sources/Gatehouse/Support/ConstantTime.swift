/// Comparisons of secrets whose running time does not depend on where the inputs differ.
///
/// ```swift
/// if ConstantTime.equals(Array(expected.utf8), Array(given.utf8)) { ... }
/// ```
package enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes; inputs of different lengths are unequal, and the
    /// time taken depends only on the lengths.
    package static func equals<L: Collection<UInt8>, R: Collection<UInt8>>(_ lhs: L, _ rhs: R) -> Bool {
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        if lhs.count == rhs.count {
            for (a, b) in zip(lhs, rhs) {
                difference |= a ^ b
            }
        } else {
            // Still touch the given input so the length check is the only early signal.
            for b in rhs {
                difference |= b ^ b
            }
        }
        return difference == 0
    }

    /// Whether two strings have the same UTF-8 bytes, compared in constant time.
    package static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
