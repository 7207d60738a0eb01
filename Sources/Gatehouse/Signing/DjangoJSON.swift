/// Python's `json` module as Django's `JSONSerializer` uses it: `json.dumps(obj, separators=(",", ":"))`
/// (ASCII only) encoded as Latin-1, and `json.loads(data.decode("latin-1"))`.
enum DjangoJSON {
    // MARK: Writing

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: pythonFloat(number).utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted(by: codePointOrder).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if let member = members[key] { write(member, into: &out) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Python's `sorted()` order for strings: by code point.
    static func codePointOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars) { $0.value < $1.value }
    }

    /// `repr(float)`: the shortest round-tripping digits, exponent form below 1e-4 and from 1e16 up.
    /// Swift's `description` follows the same rules and spelling; only non-finite values differ.
    static func pythonFloat(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return number.description
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])  // \"
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])  // \\
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x20...0x7E: out.append(UInt8(scalar.value))
            case 0x10000...:
                let offset = scalar.value - 0x10000
                writeEscape(UInt16(0xD800 + (offset >> 10)), into: &out)
                writeEscape(UInt16(0xDC00 + (offset & 0x3FF)), into: &out)
            default: writeEscape(UInt16(scalar.value), into: &out)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ unit: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int(unit >> UInt16(shift) & 0xF)])
        }
    }

    // MARK: Reading

    static func parse(_ bytes: [UInt8], maximumDepth: Int) throws(SigningError) -> JSONValue {
        var parser = Parser(bytes: bytes, maximumDepth: maximumDepth)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw .malformed("extra data after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let maximumDepth: Int
        var index = 0

        init(bytes: [UInt8], maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
            }
        }

        private mutating func consume(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let matches = literal.withUTF8Buffer { expected in
                expected.elementsEqual(bytes[index..<index + count])
            }
            if matches { index += count }
            return matches
        }

        mutating func value(depth: Int) throws(SigningError) -> JSONValue {
            guard let byte = current else { throw .malformed("the JSON text ends early") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "n") where consume("null"): return .null
            case UInt8(ascii: "t") where consume("true"): return .bool(true)
            case UInt8(ascii: "f") where consume("false"): return .bool(false)
            case UInt8(ascii: "N") where consume("NaN"): return .double(.nan)
            case UInt8(ascii: "I") where consume("Infinity"): return .double(.infinity)
            case UInt8(ascii: "-") where consume("-Infinity"): return .double(-.infinity)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw .malformed("unexpected character in the JSON text")
            }
        }

        private mutating func object(depth: Int) throws(SigningError) -> JSONValue {
            guard depth <= maximumDepth else { throw .malformed("the JSON value is nested too deeply") }
            index += 1  // {
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                guard current == UInt8(ascii: "\"") else { throw .malformed("an object key is not a string") }
                let key = try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw .malformed("an object key is not followed by ':'") }
                index += 1
                skipWhitespace()
                members[key] = try value(depth: depth)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","):
                    index += 1
                    skipWhitespace()
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(members)
                default:
                    throw .malformed("an object member is not followed by ',' or '}'")
                }
            }
        }

        private mutating func array(depth: Int) throws(SigningError) -> JSONValue {
            guard depth <= maximumDepth else { throw .malformed("the JSON value is nested too deeply") }
            index += 1  // [
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","):
                    index += 1
                    skipWhitespace()
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(elements)
                default:
                    throw .malformed("an array element is not followed by ',' or ']'")
                }
            }
        }

        private static func isDigit(_ byte: UInt8?) -> Bool {
            guard let byte else { return false }
            return byte >= 0x30 && byte <= 0x39
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`; an integer when there is neither a fraction
        /// nor an exponent.
        private mutating func number() throws(SigningError) -> JSONValue {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            if current == UInt8(ascii: "0") {
                index += 1
            } else if Self.isDigit(current) {
                while Self.isDigit(current) { index += 1 }
            } else {
                throw .malformed("a number has no digits")
            }
            var isInteger = true
            if current == UInt8(ascii: "."), index + 1 < bytes.count, Self.isDigit(bytes[index + 1]) {
                isInteger = false
                index += 1
                while Self.isDigit(current) { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                var lookahead = index + 1
                if lookahead < bytes.count, bytes[lookahead] == UInt8(ascii: "+") || bytes[lookahead] == UInt8(ascii: "-") {
                    lookahead += 1
                }
                if lookahead < bytes.count, Self.isDigit(bytes[lookahead]) {
                    isInteger = false
                    index = lookahead
                    while Self.isDigit(current) { index += 1 }
                }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isInteger, let integer = Int(text) { return .int(integer) }
            guard let double = Double(text) else { throw .malformed("a number cannot be read") }
            return .double(double)
        }

        private static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A")) + 10
            default: nil
            }
        }

        /// Four hex digits after `\u`, at `index`.
        private mutating func hexUnit() throws(SigningError) -> UInt32 {
            guard bytes.count - index >= 4 else { throw .malformed("a \\u escape is cut short") }
            var unit: UInt32 = 0
            for offset in 0..<4 {
                guard let digit = Self.hexValue(bytes[index + offset]) else {
                    throw .malformed("a \\u escape has a non-hex digit")
                }
                unit = unit << 4 | digit
            }
            index += 4
            return unit
        }

        private mutating func string() throws(SigningError) -> String {
            index += 1  // opening quote
            var scalars = String.UnicodeScalarView()
            while true {
                guard let byte = current else { throw .malformed("a string is not terminated") }
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    guard let escape = current else { throw .malformed("a string is not terminated") }
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var unit = try hexUnit()
                        if (0xD800...0xDBFF).contains(unit), bytes.count - index >= 6,
                            bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        {
                            let saved = index
                            index += 2
                            let low = try hexUnit()
                            if (0xDC00...0xDFFF).contains(low) {
                                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                index = saved  // not a pair: the next escape stands alone
                            }
                        }
                        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    default:
                        throw .malformed("a string has an invalid escape")
                    }
                case 0x00..<0x20:
                    throw .malformed("a string contains a raw control character")
                default:
                    // Latin-1: every byte is the code point of the same value.
                    scalars.append(Unicode.Scalar(byte))
                }
            }
        }
    }
}
