import Foundation
@testable import Gatehouse
import Testing

/// `AllowedHosts` against Django 6.1's own answers (Tests/Fixtures/django/allowed-host-vectors.json,
/// made by scripts/django/gen_allowed_host_vectors.py).
@Suite("Allowed hosts, as Django's ALLOWED_HOSTS")
struct AllowedHostsTests {
    struct Vectors: Decodable {
        struct Vector: Decodable, CustomTestStringConvertible {
            var host: String
            var domain: String
            var allowed: [Bool]
            var testDescription: String { host.debugDescription }
        }
        var patterns: [[String]]
        var vectors: [Vector]
    }

    static let fixture: Vectors? = try? JSONDecoder().decode(
        Vectors.self, from: Data(contentsOf: PasswordFixtures.directory.appending(component: "allowed-host-vectors.json"))
    )

    @Test func theFixtureIsThere() throws {
        let fixture = try #require(Self.fixture)
        #expect(fixture.vectors.count > 40)
        #expect(fixture.vectors.contains { $0.allowed.contains(true) } && fixture.vectors.contains { !$0.allowed.contains(true) })
    }

    @Test(arguments: fixture?.vectors ?? [])
    func djangoSplitsAndAllowsAsGatehouseDoes(_ vector: Vectors.Vector) throws {
        let patterns = try #require(Self.fixture).patterns
        #expect(AllowedHosts.domain(ofHost: vector.host) == (vector.domain.isEmpty ? nil : vector.domain))
        for (list, allowed) in zip(patterns, vector.allowed) {
            #expect(AllowedHosts(list).allows(host: vector.host) == allowed, "\(list)")
        }
    }

    @Test func theDefaultIsThisMachineOnly() {
        for host in ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST."] {
            #expect(AllowedHosts.local.allows(host: host), "\(host)")
        }
        for host in ["example.com", "127.0.0.2", "app.localhost", "localhost.evil.test", "0.0.0.0", "[::]"] {
            #expect(!AllowedHosts.local.allows(host: host), "\(host)")
        }
    }

    @Test func bytesOutsideASCIINeverMatchEvenWhenUnicodeWouldLowercaseThem() {
        // U+212A KELVIN SIGN lowercases to an ASCII "k" in Unicode; a Host is bytes, and these are not a name.
        #expect(!AllowedHosts(["kexample.com"]).allows(host: "\u{212A}example.com"))
        #expect(!AllowedHosts(["*"]).allows(host: "ex\u{00E4}mple.com"))
        #expect(!AllowedHosts(["*"]).allows(host: "example.com\0"))
        #expect(!AllowedHosts(["*"]).allows(host: String(repeating: "[", count: 10_000)))
    }
}
