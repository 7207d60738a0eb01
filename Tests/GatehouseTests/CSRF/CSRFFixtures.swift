import Foundation
import Gatehouse
import Testing

/// `Tests/Fixtures/django/csrf-vectors.json`, made by `scripts/django/gen_csrf_vectors.py` with real
/// Django (see scripts/django/README.md).
enum CSRFFixtures {
    /// The repository root, found from this file's path (Tests/GatehouseTests/CSRF/CSRFFixtures.swift).
    static let repositoryRoot: URL = {
        var url = URL(filePath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static let file = repositoryRoot.appending(components: "Tests", "Fixtures", "django", "csrf-vectors.json")

    /// `nil` when the file is missing or unreadable; ``required()`` reports why.
    static let vectors: CSRFVectors? = try? load()

    static func load() throws -> CSRFVectors {
        try JSONDecoder().decode(CSRFVectors.self, from: Data(contentsOf: file))
    }

    static func required() throws -> CSRFVectors {
        if let vectors { return vectors }
        return try load()
    }

    static var scenarios: [CSRFVectors.Scenario] { vectors?.scenarios ?? [] }

    /// The oracle's Python for reverse checks, from `GATEHOUSE_TEST_DJANGO_PYTHON`.
    static let python = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
}

struct CSRFVectors: Decodable, Sendable {
    struct Reasons: Decodable, Sendable {
        var bad_origin: String
        var no_referer: String
        var bad_referer: String
        var no_csrf_cookie: String
        var csrf_token_missing: String
        var malformed_referer: String
        var insecure_referer: String
        var incorrect_length: String
        var invalid_characters: String
    }

    struct Facts: Decodable, Sendable {
        var django_version: String
        var secret_length: Int
        var token_length: Int
        var allowed_chars: String
        var cookie_name: String
        var header_meta_name: String
        var cookie_age: Int
        var cookie_path: String
        var cookie_secure: Bool
        var cookie_httponly: Bool
        var cookie_samesite: String?
        var cookie_domain: String?
        var trusted_origins: [String]
        var use_sessions: Bool
        var reasons: Reasons
    }

    struct Mask: Decodable, Sendable {
        var secret: String
        var mask: String
        var token: String
    }

    struct Unmask: Decodable, Sendable {
        var token: String
        var secret: String
    }

    struct Masked: Decodable, Sendable {
        var secret: String
        var token: String
    }

    struct Format: Decodable, Sendable {
        var token: String
        var problem: String?
    }

    struct Match: Decodable, Sendable {
        var token: String
        var secret: String
        var matches: Bool
    }

    struct Settings: Decodable, Sendable {
        var trusted_origins: [String]
        var allowed_hosts: [String]
        var cookie_domain: String?
        var header: String
    }

    struct Request: Decodable, Sendable {
        var method: String
        var secure: Bool
        var host: String
        var server_port: Int
        var origin: String?
        var referer: String?
        var cookie: String?
        var form_token: String?
        var header_token: String?
    }

    struct Scenario: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var settings: Settings
        var request: Request
        var accepted: Bool
        var reason: String?

        var testDescription: String { name }

        var configuration: CSRFConfiguration {
            CSRFConfiguration(
                trustedOrigins: settings.trusted_origins,
                allowedHosts: settings.allowed_hosts,
                headerName: settings.header,
                cookieDomain: settings.cookie_domain
            )
        }

        /// The scenario through Gatehouse's checker.
        func verdict(serverPort: Int?) -> CSRFVerdict {
            CSRFChecker(configuration: configuration).check(
                method: request.method,
                isSecure: request.secure,
                host: request.host,
                origin: request.origin,
                referer: request.referer,
                cookieSecret: request.cookie,
                formToken: request.form_token,
                headerToken: request.header_token,
                serverPort: serverPort
            )
        }
    }

    var facts: Facts
    var mask: [Mask]
    var unmask: [Unmask]
    var django_masked: [Masked]
    var format: [Format]
    var match: [Match]
    var scenarios: [Scenario]
}
