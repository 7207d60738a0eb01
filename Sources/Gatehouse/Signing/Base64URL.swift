/// URL-safe base64 (`-` and `_` instead of `+` and `/`) without `=` padding: the encoding of
/// Django's `signing.b64_encode` / `b64_decode` and `django.utils.http.urlsafe_base64_encode`.
///
/// ```swift
/// Base64URL.encode(Array("hello".utf8))        // "aGVsbG8"
/// Base64URL.decode("aGVsbG8")                  // the bytes of "hello"
/// ```
package enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Encodes `bytes` without padding.
    ///
    /// ```swift
    /// Base64URL.encode([0xFB, 0xFF])   // "-_8"
    /// ```
    package static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let b0 = UInt32(first), b1 = UInt32(second ?? 0), b2 = UInt32(third ?? 0)
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 0x3F)])
            out.append(alphabet[Int(triple >> 12 & 0x3F)])
            if second != nil { out.append(alphabet[Int(triple >> 6 & 0x3F)]) }
            if third != nil { out.append(alphabet[Int(triple & 0x3F)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes URL-safe base64 with or without trailing `=`; `nil` when a character is outside the
    /// alphabet or the length is impossible. Unused low bits of the last character are ignored, as
    /// Python does.
    ///
    /// ```swift
    /// Base64URL.decode("-_8")   // [0xFB, 0xFF]
    /// Base64URL.decode("a")     // nil
    /// ```
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(bytes: Array(text.utf8))
    }

    static func decode(bytes input: [UInt8]) -> [UInt8]? {
        // Like Django's b64_decode (which pads to a multiple of four before Python decodes), trailing
        // `=` are optional and their number is not checked.
        var end = input.count
        while end > 0, input[end - 1] == UInt8(ascii: "=") { end -= 1 }
        guard end % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(end / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<end {
            let value = reverse[Int(input[index])]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }
}

/// Django's base 62 integers (`0-9A-Za-z`, a leading `-` for negatives): the timestamps of
/// ``TimestampSigner``.
///
/// ```swift
/// Base62.encode(1_700_000_000)    // "1r31eq"
/// Base62.decode("1r31eq")         // 1_700_000_000
/// ```
package enum Base62 {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Encodes `value`; zero is `"0"`.
    ///
    /// ```swift
    /// Base62.encode(-62)   // "-10"
    /// ```
    package static func encode(_ value: Int64) -> String {
        if value == 0 { return "0" }
        var magnitude = value.magnitude
        var digits: [UInt8] = []
        while magnitude > 0 {
            digits.append(alphabet[Int(magnitude % 62)])
            magnitude /= 62
        }
        if value < 0 { digits.append(UInt8(ascii: "-")) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Decodes a base 62 integer; `nil` for an empty string, a character outside the alphabet, or a
    /// value outside `Int64`. Like Django, a lone `"-"` decodes to zero.
    ///
    /// ```swift
    /// Base62.decode("z")    // 61
    /// Base62.decode("!")    // nil
    /// ```
    package static func decode(_ text: some StringProtocol) -> Int64? {
        var bytes = Substring(text).utf8[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var magnitude: UInt64 = 0
        for byte in bytes {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 36
            default: return nil
            }
            let (scaled, overflow1) = magnitude.multipliedReportingOverflow(by: 62)
            let (sum, overflow2) = scaled.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
