import Foundation
import Gatehouse
import GatehouseTesting
import Testing

@Suite("Signing")
struct SigningTests {
    static let secret = "signing-tests-secret-KEY-MARKER-0123456789"
    static var keys: SigningKeys { get throws { try SigningKeys(secretKey: secret) } }

    // MARK: Keys and configuration

    @Test("empty secret keys are refused")
    func emptyKeys() {
        #expect(throws: SigningError.invalidConfiguration) { try SigningKeys(secretKey: "") }
        #expect(throws: SigningError.invalidConfiguration) { try SigningKeys(secretKey: "k", fallbacks: ["old", ""]) }
    }

    @Test("keys never show up in descriptions, mirrors or dumps")
    func keysRedacted() throws {
        let keys = try SigningKeys(secretKey: Self.secret, fallbacks: ["OLD-KEY-MARKER"])
        var dumped = ""
        dump(keys, to: &dumped)
        for text in ["\(keys)", String(reflecting: keys), dumped, "\(Signer(keys: keys))", "\(TimestampSigner(keys: keys))"] {
            #expect(!text.contains("MARKER"), "\(text)")
        }
        #expect("\(keys)".contains("fallbacks: 1"))
    }

    @Test("separators Django refuses are refused", arguments: ["", "a", "Z", "=", "-", "_", "abc", "[", "`", "09"])
    func unsafeSeparator(_ separator: String) throws {
        #expect(throws: SigningError.invalidConfiguration) { try Signer(keys: Self.keys, separator: separator) }
        #expect(throws: SigningError.invalidConfiguration) { try TimestampSigner(keys: Self.keys, separator: separator) }
    }

    @Test("safe separators work", arguments: [":", "/", "::", "|", " ", "é", "a:"])
    func safeSeparator(_ separator: String) throws {
        let signer = try Signer(keys: Self.keys, salt: "s", separator: separator)
        let signed = signer.sign("value\(separator)with separator")
        #expect(try signer.unsign(signed) == "value\(separator)with separator")
        let timestamped = try TimestampSigner(keys: Self.keys, salt: "s", separator: separator, clock: ManualClock())
        #expect(try timestamped.unsign(timestamped.sign("v"), maxAge: 0) == "v")
    }

    @Test("an empty salt means the default salt, as in Django")
    func emptySalt() throws {
        #expect(Signer(keys: try Self.keys, salt: "").salt == Signer.defaultSalt)
        #expect(TimestampSigner(keys: try Self.keys, salt: nil).salt == TimestampSigner.defaultSalt)
    }

    // MARK: Errors

    @Test("error descriptions never contain the value, signature, salt or key")
    func errorsAreSafe() throws {
        let keys = try Self.keys
        let signer = TimestampSigner(keys: keys, salt: "SALT-MARKER", clock: ManualClock())
        let signed = signer.signObject(["secret": "VALUE-MARKER"])
        let other = TimestampSigner(keys: try SigningKeys(secretKey: "other"), salt: "SALT-MARKER", clock: ManualClock())
        var errors: [SigningError] = []
        let attempts: [() throws -> Void] = [
            { _ = try other.unsignObject(signed) },
            { _ = try signer.unsignObject(signed, maxAge: -1) },
            { _ = try signer.unsignObject(signer.sign("VALUE-MARKER")) },
            { _ = try signer.unsign("VALUE-MARKER") },
        ]
        for attempt in attempts {
            do {
                try attempt()
                Issue.record("expected an error")
            } catch let error as SigningError {
                errors.append(error)
            } catch {
                Issue.record("unexpected error type \(type(of: error))")
            }
        }
        #expect(errors == [.badSignature, .expired, .malformed, .badSignature])
        for error in errors {
            let text = "\(error) \(String(reflecting: error))"
            #expect(!text.contains("MARKER"), "\(text)")
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(String(signed.suffix(43))))
        }
        #expect(SigningError.expired.isBadSignature)
        #expect(!SigningError.malformed.isBadSignature)
    }

    // MARK: Objects

    @Test("compression is used only when it makes the result shorter")
    func compressOnlyWhenShorter() throws {
        let signer = Signer(keys: try Self.keys, salt: "s")
        #expect(!signer.signObject(["a": 1], compress: true).hasPrefix("."))
        let long: JSONValue = .array(Array(repeating: "repeat me", count: 200))
        let compressed = signer.signObject(long, compress: true)
        #expect(compressed.hasPrefix("."))
        #expect(compressed.count < signer.signObject(long).count)
        #expect(try signer.unsignObject(compressed) == long)
    }

    @Test("Signer objects have no timestamp, TimestampSigner objects do")
    func objectFormats() throws {
        let keys = try Self.keys
        let plain = Signer(keys: keys, salt: "s").signObject("x")
        #expect(plain.split(separator: ":").count == 2)
        let timed = TimestampSigner(keys: keys, salt: "s", clock: ManualClock()).signObject("x")
        #expect(timed.split(separator: ":").count == 3)
        // Under the same salt the signatures verify (the HMAC key depends on the salt only), but the
        // content is not what the other class expects, as in Django (ValueError / binascii.Error).
        #expect(throws: SigningError.malformed) { try TimestampSigner(keys: keys, salt: "s").unsignObject(plain) }
        #expect(throws: SigningError.malformed) { try Signer(keys: keys, salt: "s").unsignObject(timed) }
        // Their default salts differ, so defaults never mix.
        #expect(throws: SigningError.badSignature) { try TimestampSigner(keys: keys).unsignObject(Signer(keys: keys).signObject("x")) }
    }

    @Test("decoding stops exactly at the limit")
    func exactLimit() throws {
        let signer = Signer(keys: try Self.keys, salt: "s")
        let value: JSONValue = .string(String(repeating: "a", count: 1000))
        let size = value.serialized().utf8.count
        for compress in [false, true] {
            let signed = signer.signObject(value, compress: compress)
            #expect(try signer.unsignObject(signed, configuration: SigningConfiguration(maximumDecodedBytes: size)) == value)
            #expect(throws: SigningError.tooLarge(limit: size - 1)) {
                try signer.unsignObject(signed, configuration: SigningConfiguration(maximumDecodedBytes: size - 1))
            }
        }
    }

    @Test("oversized input is refused before any work")
    func oversizedInput() throws {
        let signer = TimestampSigner(keys: try Self.keys, salt: "s")
        let huge = String(repeating: "A", count: 3 << 20) + ":1:sig"
        #expect(throws: SigningError.tooLarge(limit: 1 << 20)) { try signer.unsignObject(huge) }
        #expect(throws: SigningError.tooLarge(limit: 1 << 20)) {
            try SignedCookieSessionCodec(keys: Self.keys).decode(huge, now: Date(), maxAge: 60)
        }
    }

    @Test("mutated signed values never crash and never verify", arguments: [false, true])
    func mutations(compress: Bool) throws {
        let keys = try Self.keys
        let signer = TimestampSigner(keys: keys, salt: "fuzz", clock: ManualClock())
        let original: JSONValue = ["user": 42, "history": .array((0..<50).map { .string("/page/\($0)") }), "name": "Zoë 😀"]
        let signed = Array(signer.signObject(original, compress: compress).utf8)
        var generator = SplitMix64(seed: compress ? 7 : 3)
        let alphabet = Array("ABCxyz019-_.:=!é\u{0}".utf8)
        for _ in 0..<2000 {
            var mutated = signed
            switch generator.next() % 4 {
            case 0: mutated[Int(generator.next() % UInt64(mutated.count))] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
            case 1: mutated.remove(at: Int(generator.next() % UInt64(mutated.count)))
            case 2: mutated.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: Int(generator.next() % UInt64(mutated.count)))
            default: mutated = Array(mutated.prefix(Int(generator.next() % UInt64(mutated.count))))
            }
            guard mutated != signed else { continue }
            let text = String(decoding: mutated, as: UTF8.self)
            do throws(SigningError) {
                let value = try signer.unsignObject(text)
                // Only an edit that left the signed bytes intact (e.g. stray padding) may verify.
                #expect(value == original, "\(text)")
            } catch {
                #expect(error == .badSignature || error == .malformed, "\(error)")
            }
        }
    }

    @Test("signing with a key and verifying with fallbacks")
    func fallbacks() throws {
        let old = try SigningKeys(secretKey: "old")
        let rotated = try SigningKeys(secretKey: "new", fallbacks: ["older", "old"])
        let token = Signer(keys: old, salt: "s").sign("v")
        #expect(try Signer(keys: rotated, salt: "s").unsign(token) == "v")
        #expect(Signer(keys: rotated, salt: "s").sign("v") != token)
        #expect(throws: SigningError.badSignature) { try Signer(keys: old, salt: "s").unsign(Signer(keys: rotated, salt: "s").sign("v")) }
    }

    // MARK: JSON

    @Test("Python json extras and edge cases")
    func jsonReading() throws {
        func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }
        #expect(try parse(#""\ud800""#) == "\u{FFFD}")
        #expect(try parse(#""\udc00\ud83d\ude00""#) == "\u{FFFD}😀")
        #expect(try parse(#""\ud83dx""#) == "\u{FFFD}x")
        #expect(try parse("1180591620717411303424") == .double(1180591620717411303424))
        #expect(try parse("1.0") == .double(1))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("1e400") == .double(.infinity))
        #expect(try parse(#"{"a":1,"a":2}"#) == ["a": 2])
        #expect(try parse(#""caf\#u{00C3}\#u{00A9}""#) == .string("caf\u{00C3}\u{0083}\u{00C2}\u{00A9}"), "bytes are Latin-1")
        for bad in ["", " ", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "1e", "-", "+1", ".5", "\"\\x\"", "\"\\u12\"",
                    "nul", "True", "'a'", "[1] x", "{1:2}", "\"a\u{1}b\"", "\"abc", "[", "nan", "infinity", "-NaN"]
        {
            #expect(throws: SigningError.malformed, "\(bad.debugDescription)") { try parse(bad) }
        }
    }

    @Test("nesting is bounded")
    func nesting() throws {
        func nested(_ depth: Int) -> [UInt8] { Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8) }
        #expect(throws: Never.self) { try JSONValue(parsing: nested(128)) }
        #expect(throws: SigningError.malformed) { try JSONValue(parsing: nested(129)) }
        #expect(throws: SigningError.malformed) { try JSONValue(parsing: nested(100_000)) }
        #expect(throws: SigningError.malformed) {
            try JSONValue(parsing: Array((String(repeating: "{\"a\":", count: 200) + "1" + String(repeating: "}", count: 200)).utf8))
        }
    }

    @Test("writing escapes like ensure_ascii")
    func jsonWriting() {
        #expect(JSONValue.string("é😀\u{7F}\u{0}\"\\/\n").serialized() == #""\u00e9\ud83d\ude00\u007f\u0000\"\\/\n""#)
        #expect(JSONValue.array([1, 1.0, 1e16, 1e-5, -0.0, .double(.nan), .double(.infinity), .double(-.infinity), 0.1]).serialized()
            == "[1,1.0,1e+16,1e-05,-0.0,NaN,Infinity,-Infinity,0.1]")
        #expect(JSONValue.object(["b": 1, "a": [:], "é": nil, "Z": true]).serialized() == #"{"Z":true,"a":{},"b":1,"\u00e9":null}"#)
    }

    @Test("Codable round trip")
    func codable() throws {
        let value: JSONValue = ["a": [1, "two", nil, true, 2.5], "b": ["c": "d"]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }

    @Test("base 62 and base 64 refuse garbage")
    func encodings() {
        #expect(Base62.decode("") == nil)
        #expect(Base62.decode("!") == nil)
        #expect(Base62.decode("zzzzzzzzzzzzzzzzzzzzzzzz") == nil)
        #expect(Base62.decode("-") == 0)
        #expect(Base62.decode(Base62.encode(.min)) == .min)
        #expect(Base62.decode(Base62.encode(.max)) == .max)
        #expect(Base64URL.decode("a") == nil)
        #expect(Base64URL.decode("ab+c") == nil)
        #expect(Base64URL.decode("ab/c") == nil)
        #expect(Base64URL.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(Base64URL.decode("") == [])
    }
}

/// A small deterministic generator for fuzzing.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
