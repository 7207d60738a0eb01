/// Comma-separated header values (`Connection`, `Vary`, `Cache-Control`), read on bytes: the
/// checks that run on every request do without Foundation's string search and trimming.
package enum HeaderList {
    /// Whether an element of the lists in `values` is `token`, in any ASCII case, with spaces and
    /// tabs around it ignored. With `ignoringArguments`, an element's `=` and what follows are
    /// ignored too (`private="Set-Cookie"` is `private`).
    package static func contains(_ values: [String], token: String, ignoringArguments: Bool = false) -> Bool {
        values.contains { value in
            value.utf8.split(separator: UInt8(ascii: ",")).contains { element in
                var name = element.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                if ignoringArguments, let equals = name.firstIndex(of: UInt8(ascii: "=")) { name = name[..<equals] }
                while let last = name.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { name = name.dropLast() }
                return name.count == token.utf8.count && zip(name, token.utf8).allSatisfy { asciiLower($0) == asciiLower($1) }
            }
        }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
