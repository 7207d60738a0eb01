/// A JSON value as Django's `JSONSerializer` reads and writes it: what sessions and signed objects
/// hold.
///
/// Integers and floating-point numbers stay apart, as in Python: `1` is ``int(_:)`` and `1.0` is
/// ``double(_:)``. Integers outside `Int` (Python has no limit) are read as ``double(_:)``.
///
/// ```swift
/// let value: JSONValue = ["cart": [1, 2, 3], "theme": "dark", "beta": true, "ratio": 0.5, "note": nil]
/// value["cart"]?[1]?.intValue     // 2
/// value.serialized()              // {"beta":true,"cart":[1,2,3],"note":null,"ratio":0.5,"theme":"dark"}
/// ```
public enum JSONValue: Sendable, Hashable {
    /// `null` (Python `None`).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number written without a fraction or exponent.
    case int(Int)
    /// A number with a fraction or exponent, or NaN and ±infinity, which Python writes as `NaN` and
    /// `Infinity`.
    case double(Double)
    /// A string.
    case string(String)
    /// An array (a Python list).
    case array([JSONValue])
    /// An object (a Python dict) with string keys.
    case object([String: JSONValue])

    /// The string, when this is ``string(_:)``.
    ///
    /// ```swift
    /// session["_auth_user_id"]?.stringValue   // "42"
    /// ```
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, when this is ``int(_:)``.
    ///
    /// ```swift
    /// session["visits"]?.intValue ?? 0
    /// ```
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, when this is ``int(_:)`` or ``double(_:)``.
    ///
    /// ```swift
    /// JSONValue.int(2).doubleValue    // 2.0
    /// ```
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The Boolean, when this is ``bool(_:)``.
    ///
    /// ```swift
    /// session["beta"]?.boolValue == true
    /// ```
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, when this is ``array(_:)``.
    ///
    /// ```swift
    /// session["cart"]?.arrayValue?.count
    /// ```
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, when this is ``object(_:)``.
    ///
    /// ```swift
    /// value.objectValue?.keys
    /// ```
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is ``null``.
    ///
    /// ```swift
    /// if session["note"]?.isNull == true { ... }
    /// ```
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key`, when this is an object.
    ///
    /// ```swift
    /// value["user"]?["id"]
    /// ```
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index`, when this is an array and `index` is in range.
    ///
    /// ```swift
    /// value["cart"]?[0]
    /// ```
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The compact, ASCII-only JSON text Django's `JSONSerializer` would write for this value
    /// (`json.dumps(value, separators=(",", ":"))`): `\uXXXX` escapes for everything outside printable
    /// ASCII, Python's float spelling, `NaN`/`Infinity` for non-finite numbers. Object members are
    /// written in code point order of their keys (Python keeps insertion order instead).
    ///
    /// ```swift
    /// JSONValue.object(["b": 1, "a": "é"]).serialized()   // {"a":"\u00e9","b":1}
    /// ```
    public func serialized() -> String {
        var out: [UInt8] = []
        DjangoJSON.write(self, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses JSON text the way Django's `JSONSerializer` does: each byte is one Latin-1 character (so
    /// Django-compatible text is ASCII with `\u` escapes), Python's `NaN`/`Infinity`/`-Infinity` are
    /// accepted, a repeated key keeps its last value. A lone UTF-16 surrogate escape becomes U+FFFD
    /// (Swift strings cannot hold it). Throws ``SigningError/malformed`` for anything Python's `json`
    /// module rejects or for nesting deeper than `maximumNestingDepth`.
    ///
    /// ```swift
    /// let value = try JSONValue(parsing: Array(#"{"a":[1,2.5,null]}"#.utf8))
    /// ```
    public init<Bytes: Collection<UInt8>>(
        parsing bytes: Bytes,
        maximumNestingDepth: Int = SigningConfiguration().maximumNestingDepth
    ) throws(SigningError) {
        self = try DjangoJSON.parse(Array(bytes), maximumDepth: maximumNestingDepth)
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    /// ``null``.
    ///
    /// ```swift
    /// let value: JSONValue = nil
    /// ```
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// ``bool(_:)``.
    ///
    /// ```swift
    /// let value: JSONValue = true
    /// ```
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// ``int(_:)``.
    ///
    /// ```swift
    /// let value: JSONValue = 42
    /// ```
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// ``double(_:)``.
    ///
    /// ```swift
    /// let value: JSONValue = 0.5
    /// ```
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// ``string(_:)``.
    ///
    /// ```swift
    /// let value: JSONValue = "dark"
    /// ```
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// ``array(_:)``.
    ///
    /// ```swift
    /// let value: JSONValue = [1, "two", nil]
    /// ```
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// ``object(_:)``; a repeated key keeps its last value.
    ///
    /// ```swift
    /// let value: JSONValue = ["theme": "dark", "visits": 3]
    /// ```
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue: Codable {
    /// Decodes from any `Decoder`. Whether a number becomes ``int(_:)`` or ``double(_:)`` depends on
    /// the decoder (Foundation's `JSONDecoder` reads `1.0` as an integer); use
    /// ``init(parsing:maximumNestingDepth:)`` when the distinction matters.
    ///
    /// ```swift
    /// let value = try JSONDecoder().decode(JSONValue.self, from: data)
    /// ```
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// Encodes into any `Encoder`.
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(JSONValue.array([1, 2]))
    /// ```
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
