import Foundation
import Testing

@testable import Gatehouse

/// `Tests/Fixtures/django/redirect-vectors.json`, made by `scripts/django/gen_redirect_vectors.py`.
enum RedirectFixtures {
    static let repositoryRoot: URL = {
        var url = URL(filePath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static let file = repositoryRoot.appending(components: "Tests", "Fixtures", "django", "redirect-vectors.json")

    static let vectors: RedirectVectors? = try? load()

    static func load() throws -> RedirectVectors {
        try JSONDecoder().decode(RedirectVectors.self, from: Data(contentsOf: file))
    }

    static func required() throws -> RedirectVectors {
        if let vectors { return vectors }
        return try load()
    }

    /// The "main" cases grouped by URL (both `require_https` values), for one test case per URL.
    static var mainURLs: [RedirectVectors.URLCases] {
        var order: [String] = []
        var byKey: [String: [RedirectVectors.Case]] = [:]
        for vector in vectors?.cases ?? [] where vector.group == "main" {
            let key = vector.url.map { "s" + $0.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ",") } ?? "nil"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(vector)
        }
        return order.compactMap { key in byKey[key].map { RedirectVectors.URLCases(cases: $0) } }
    }
}

struct RedirectVectors: Decodable, Sendable {
    struct Case: Decodable, Sendable {
        var url: String?
        var allowed_hosts: [String]?
        var require_https: Bool
        var allowed: Bool
        var group: String
    }

    struct URLCases: Sendable, CustomTestStringConvertible {
        var cases: [Case]
        var testDescription: String { cases.first?.url.map { String($0.debugDescription.prefix(80)) } ?? "nil" }
    }

    struct Split: Decodable, Sendable {
        var url: String
        var scheme: String?
        var netloc: String?
        var path: String?
        var query: String?
        var fragment: String?
        var error: String?
    }

    var django_version: String
    var python_version: String
    var unicode_version: String
    var max_url_length: Int
    var cases: [Case]
    var urlsplit: [Split]
}

/// Every case of redirect-vectors.json (Django 6.1.3's `url_has_allowed_host_and_scheme`).
@Suite("Django redirect vectors")
struct RedirectVectorTests {
    @Test("the fixture is present and was made with the Python Gatehouse mirrors")
    func facts() throws {
        let vectors = try RedirectFixtures.required()
        #expect(vectors.django_version == "6.1.3")
        #expect(vectors.max_url_length == RedirectValidator.maximumURLLength)
        #expect(vectors.unicode_version == "\(PythonUnicode.unicodeVersion.major).\(PythonUnicode.unicodeVersion.minor).0")
        #expect(vectors.cases.count > 1000)
        #expect(vectors.cases.contains { $0.allowed })
        #expect(vectors.cases.contains { !$0.allowed })
    }

    @Test("allowed hosts {testserver}, require_https false and true", arguments: RedirectFixtures.mainURLs)
    func main(_ url: RedirectVectors.URLCases) {
        for vector in url.cases {
            let hosts = vector.allowed_hosts ?? []
            let verdict = RedirectValidator.urlHasAllowedHostAndScheme(vector.url, allowedHosts: hosts, requireHTTPS: vector.require_https)
            #expect(verdict == vector.allowed, "require_https=\(vector.require_https)")
            // The same through an instance, with the host as the request's own.
            let validator = RedirectValidator()
            #expect(validator.isSafe(vector.url, requestHost: hosts.first, requireHTTPS: vector.require_https) == vector.allowed)
            #expect((validator.safeRedirect(vector.url, requestHost: hosts.first, requireHTTPS: vector.require_https) != nil) == vector.allowed)
        }
    }

    @Test("other allowed-host sets")
    func otherHosts() throws {
        let vectors = try RedirectFixtures.required()
        var checked = 0
        for vector in vectors.cases where vector.group == "hosts" {
            let verdict = RedirectValidator.urlHasAllowedHostAndScheme(vector.url, allowedHosts: vector.allowed_hosts ?? [], requireHTTPS: vector.require_https)
            #expect(
                verdict == vector.allowed,
                "\(vector.url.debugDescription) hosts=\(vector.allowed_hosts ?? []) require_https=\(vector.require_https)"
            )
            checked += 1
        }
        #expect(checked > 1000)
    }

    @Test("the urlsplit port agrees with Python's urlsplit on every URL")
    func urlsplit() throws {
        for vector in try RedirectFixtures.required().urlsplit {
            let parts = PythonURLSplit.split(vector.url)
            if vector.error != nil {
                #expect(parts == nil, "\(vector.url.debugDescription) should not parse: \(vector.error ?? "")")
                continue
            }
            guard let parts else {
                Issue.record("\(vector.url.debugDescription) should parse")
                continue
            }
            func text(_ scalars: [Unicode.Scalar]) -> [UInt32] { scalars.map(\.value) }
            func expected(_ string: String?) -> [UInt32] { (string ?? "").unicodeScalars.map(\.value) }
            #expect(text(parts.scheme) == expected(vector.scheme), "\(vector.url.debugDescription) scheme")
            #expect(text(parts.netloc) == expected(vector.netloc), "\(vector.url.debugDescription) netloc")
            #expect(text(parts.path) == expected(vector.path), "\(vector.url.debugDescription) path")
            #expect(text(parts.query) == expected(vector.query), "\(vector.url.debugDescription) query")
            #expect(text(parts.fragment) == expected(vector.fragment), "\(vector.url.debugDescription) fragment")
        }
    }
}
