import Foundation
import NIOCore

/// The fields of an `application/x-www-form-urlencoded` body, in order, with repeats.
///
/// Malformed percent escapes and invalid UTF-8 make the value unreadable rather than crash: such a
/// field is dropped.
package struct FormFields: Sendable {
    private(set) var pairs: [(String, String)] = []

    static func parse(_ buffer: ByteBuffer) -> FormFields {
        var fields = FormFields()
        let bytes = buffer.readableBytesView
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let pieces = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pieces[0]) else { continue }
            let value = pieces.count > 1 ? decode(pieces[1]) : ""
            guard let value else { continue }
            fields.pairs.append((name, value))
        }
        return fields
    }

    /// The first value of `name`.
    func first(_ name: String) -> String? {
        pairs.first { $0.0 == name }?.1
    }

    /// The last value of `name` (what Django's `QueryDict.get` returns).
    func last(_ name: String) -> String? {
        pairs.last { $0.0 == name }?.1
    }

    static func decode(_ bytes: some Collection<UInt8>) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): output.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                output.append(high << 4 | low)
            default: output.append(byte)
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    package static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// HTML escaping for text put into pages by hand (templates escape by themselves).
package enum HTMLEscaping {
    /// Escapes by code point, as HTML parses: a `"` followed by a combining mark is one Swift
    /// `Character` that is not `"`, yet still ends an attribute value.
    package static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#x27;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
