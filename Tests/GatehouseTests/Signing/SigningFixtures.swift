import Foundation
import Gatehouse
import Testing

/// `Tests/Fixtures/django/signing-vectors.json`, made by `scripts/django/gen_signing_vectors.py` with
/// real Django (see scripts/django/README.md).
enum SigningFixtures {
    /// The repository root, found from this file's path
    /// (Tests/GatehouseTests/Signing/SigningFixtures.swift).
    static let repositoryRoot: URL = {
        var url = URL(filePath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static let file = repositoryRoot.appending(components: "Tests", "Fixtures", "django", "signing-vectors.json")

    /// `nil` when the file is missing or unreadable; ``load()`` reports why.
    static let vectors: SigningVectors? = try? load()

    static func load() throws -> SigningVectors {
        try JSONDecoder().decode(SigningVectors.self, from: Data(contentsOf: file))
    }

    /// The vectors, or a test failure saying why they could not be read.
    static func required() throws -> SigningVectors {
        if let vectors { return vectors }
        return try load()
    }

    static var keys: SigningKeys {
        get throws { try SigningKeys(secretKey: required().facts.secret_key) }
    }

    /// The fixed signing time of the generator.
    static var timestamp: Date {
        Date(timeIntervalSince1970: TimeInterval(vectors?.facts.timestamp ?? 1_717_171_717))
    }

    /// Parses the JSON text of a vector with Gatehouse's Django-compatible parser.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: Array(text.utf8), maximumNestingDepth: 1000)
    }

    static func object(_ text: String) throws -> [String: JSONValue] {
        try #require(parse(text).objectValue)
    }
}

/// A named vector, shown by name in test output.
protocol SigningNamedVector: CustomTestStringConvertible, Sendable {
    var name: String { get }
}

extension SigningNamedVector {
    var testDescription: String { name }
}

struct SigningVectors: Decodable, Sendable {
    struct Facts: Decodable, Sendable {
        var secret_key: String
        var old_secret_key: String
        var timestamp: Int
        var db_salt: String
        var cached_db_salt: String
        var cookie_salt: String
        var dumps_salt: String
        var signer_default_salt: String
        var timestamp_signer_default_salt: String
        var default_algorithm: String
        var session_key_chars: String
        var session_key_length: Int
        var session_key_max_length: Int
        var session_serializer: String
        var cookie_name: String
        var cookie_age: Int
        var expire_at_browser_close: Bool
        var save_every_request: Bool
    }

    struct Base62Vector: Decodable, Sendable {
        var value: Int64
        var encoded: String
    }

    struct Base64Vector: Decodable, Sendable {
        var hex: String
        var encoded: String
    }

    struct JSONText: Decodable, SigningNamedVector {
        var name: String
        var text: String
        var writes_same: Bool
    }

    struct SignerVector: Decodable, SigningNamedVector {
        var name: String
        var key: String
        var salt: String?
        var algorithm: String
        var sep: String
        var value: String
        var effective_salt: String
        var signed: String
        var signature: String
    }

    struct TimestampSignerVector: Decodable, SigningNamedVector {
        var name: String
        var key: String
        var salt: String?
        var effective_salt: String
        var value: String
        var timestamp: Int
        var encoded_timestamp: String
        var signed: String
    }

    struct DumpsVector: Decodable, SigningNamedVector {
        var name: String
        var key: String
        var salt: String
        var compress: Bool
        var json: String
        var signed: String
        var compressed: Bool
        var timestamp: Int
    }

    struct DatabaseSession: Decodable, SigningNamedVector {
        var name: String
        var secret_key: String
        var json: String
        var session_data: String
        var compressed: Bool
        var timestamp: Int
    }

    struct CookieSession: Decodable, SigningNamedVector {
        var name: String
        var secret_key: String
        var json: String
        var cookie: String
        var compressed: Bool
        var timestamp: Int
    }

    struct Fallback: Decodable, SigningNamedVector {
        var name: String
        var kind: String
        var salt: String
        var secret_key: String
        var fallbacks: [String]
        var signed_with: String
        var signed: String
        var json: String?
        var value: String?
        var without_fallbacks: String
    }

    struct Loads: Decodable, SigningNamedVector {
        var name: String
        var kind: String
        var secret_key: String
        var salt: String
        var signed: String
        var max_age: Double?
        var now: Double
        var django_error: String?
        var expect: String
        var json: String?
        var value: String?
        var note: String?
    }

    struct ZipBomb: Decodable, Sendable {
        var secret_key: String
        var salt: String
        var signed: String
        var cookie: String
        var decoded_bytes: Int
        var signed_bytes: Int
        var timestamp: Int
    }

    struct Expiry: Decodable, SigningNamedVector {
        var name: String
        var session_expiry: JSONValue?
        var cookie_age: Int
        var expire_at_browser_close_setting: Bool
        var modification: Int
        var expiry_age: Int
        var expiry_date: Double
        var expire_at_browser_close: Bool
    }

    struct SetExpiry: Decodable, Sendable {
        var unix: Double
        var stored: String
    }

    var django_version: String
    var facts: Facts
    var base62: [Base62Vector]
    var base64: [Base64Vector]
    var json: [JSONText]
    var signer: [SignerVector]
    var timestamp_signer: [TimestampSignerVector]
    var dumps: [DumpsVector]
    var db_sessions: [DatabaseSession]
    var cookie_sessions: [CookieSession]
    var fallbacks: [Fallback]
    var loads: [Loads]
    var zip_bomb: ZipBomb
    var expiry: [Expiry]
    var set_expiry: [SetExpiry]
}

/// `[UInt8]` from lowercase hex.
func signingBytes(hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var iterator = hex.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        func value(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        bytes.append(value(high) << 4 | value(low))
    }
    return bytes
}
