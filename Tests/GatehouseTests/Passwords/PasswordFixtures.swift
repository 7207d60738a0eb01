import Foundation
import Testing
import Gatehouse
import Logging

/// Loads the fixtures made by real Django (scripts/django/README.md) from Tests/Fixtures/django.
enum PasswordFixtures {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = {
        var url = URL(filePath: #filePath)
        // Tests/GatehouseTests/Passwords/PasswordFixtures.swift -> repository root
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static let directory = repositoryRoot.appending(components: "Tests", "Fixtures", "django")

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: directory.appending(component: name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// `nil` when the file is missing or unreadable; tests that need it fail on that separately.
    static let passwords: PasswordVectors? = try? load("password-vectors.json", as: PasswordVectors.self)
    static let validators: ValidatorVectors? = try? load("validator-vectors.json", as: ValidatorVectors.self)

    static var passwordCases: [PasswordVectors.Case] { passwords?.cases ?? [] }
    static var validatorCases: [ValidatorVectors.Case] { validators?.cases ?? [] }
    static var combinedCases: [ValidatorVectors.Combined] { validators?.combined ?? [] }
}

struct PasswordVectors: Decodable, Sendable {
    struct Case: Decodable, Sendable, CustomTestStringConvertibleByName {
        var name: String
        var kind: String
        var algorithm: String?
        var password: String
        var encoded: String?
        var fixed_salt: String?
        var verifies: Bool
        var must_update: Bool?
        var verify_password_must_update: Bool
        var needs_upgrade: Bool
        var usable: Bool?
        var identified: String?
        var django_raises: String?
        var error: String?
    }

    struct SessionHash: Decodable, Sendable {
        var secret_key: String
        var password_hash: String
        var hash: String
    }

    struct Scrypt: Decodable, Sendable {
        var work_factor: Int
        var block_size: Int
        var parallelism: Int
        var maxmem: Int
        var dklen: Int
    }

    struct Argon2: Decodable, Sendable {
        var variety: String
        var version: Int
        var time_cost: Int
        var memory_cost: Int
        var parallelism: Int
        var hash_len: Int
    }

    struct Salt: Decodable, Sendable {
        var entropy_bits: Int
        var chars: String
        var length: Int
    }

    struct Unusable: Decodable, Sendable {
        var prefix: String
        var suffix_length: Int
    }

    var django_version: String
    var preferred: String
    var hashers: [String]
    var default_iterations: [String: Int]
    var low_iterations: Int
    var bcrypt_rounds: Int
    var scrypt: Scrypt
    var argon2: Argon2
    var salt: Salt
    var unusable_password: Unusable
    var cases: [Case]
    var session_auth_hash: [SessionHash]
}

struct ValidatorVectors: Decodable, Sendable {
    struct Options: Decodable, Sendable {
        var min_length: Int?
        var max_similarity: Double?
        var user_attributes: [String]?
    }

    struct User: Decodable, Sendable {
        var username: String
        var first_name: String
        var last_name: String
        var email: String

        var attributes: PasswordUserAttributes {
            PasswordUserAttributes(username: username, firstName: first_name, lastName: last_name, email: email)
        }
    }

    struct Problem: Decodable, Sendable, Equatable {
        var code: String
        var message: String
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertibleByName {
        var validator: String
        var options: Options
        var password: String
        var user: User?
        var errors: [Problem]
        var help_text: String?
        var construct_error: String?

        var name: String { "\(validator) \(password.debugDescription)" }
    }

    struct Combined: Decodable, Sendable, CustomTestStringConvertibleByName {
        var password: String
        var user: User?
        var errors: [Problem]

        var name: String { "combined \(password.debugDescription)" }
    }

    var django_version: String
    var default_validators: [String]
    var help_texts: [String]
    var cases: [Case]
    var combined: [Combined]
}

/// Test arguments shown by name in test output.
protocol CustomTestStringConvertibleByName: CustomTestStringConvertible {
    var name: String { get }
}

extension CustomTestStringConvertibleByName {
    var testDescription: String { name }
}

/// The hashers the Django oracle is configured with (scripts/django/oracle/settings.py), in its order.
func oracleHashers(pool: PasswordHashingPool = PasswordTestPool.pool, logger: Logger = .quietPasswords) -> PasswordHashers {
    PasswordHashers.allSupported(pool: pool, logger: logger)
}
