import Foundation
import GatehouseTesting
import Testing

@testable import Gatehouse

/// `Tests/Fixtures/django/password-reset-vectors.json`, made with real Django 6.1 by
/// `scripts/django/gen_password_reset_vectors.py`.
struct PasswordResetVectors: Decodable, Sendable {
    struct UserSpec: Decodable, Sendable {
        var id: Int64
        var password: String
        var last_login: String?
        var email: String?

        var user: User {
            User(
                id: id, password: password, lastLogin: last_login.map(PasswordResetVectors.date), username: "u\(id)",
                email: email ?? "", dateJoined: Date(timeIntervalSince1970: 0)
            )
        }
    }

    struct Made: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var user: UserSpec
        var secret: String
        var now: String
        var time_zone: String
        var timestamp: Int64
        var token: String
        var testDescription: String { name }
    }

    struct Check: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var user: UserSpec
        var token: String
        var secret: String
        var fallbacks: [String]
        var now: String
        var time_zone: String
        var timeout: Int
        var valid: Bool
        var testDescription: String { name }
    }

    struct UID: Decodable, Sendable {
        var pk: Int64
        var uidb64: String
    }

    struct Base36Vectors: Decodable, Sendable {
        struct Pair: Decodable, Sendable {
            var int: Int64
            var base36: String
        }
        var pairs: [Pair]
        var refused: [String]
    }

    struct Form: Decodable, Sendable {
        struct Error: Decodable, Sendable {
            var code: String
            var message: String
        }
        var email: String?
        var valid: Bool
        var cleaned: String?
        var errors: [Error]
    }

    struct Match: Decodable, Sendable {
        var entered: String
        var stored: String
        var match: Bool
    }

    var django: String
    var key_salt: String
    var default_timeout: Int
    var tokens: [Made]
    var checks: [Check]
    var uids: [UID]
    var bad_uids: [String]
    var base36: Base36Vectors
    var forms: [Form]
    var matches: [Match]

    static let file = RedirectFixtures.repositoryRoot.appending(components: "Tests", "Fixtures", "django", "password-reset-vectors.json")
    static let loaded: PasswordResetVectors? = try? JSONDecoder().decode(PasswordResetVectors.self, from: Data(contentsOf: file))

    static func date(_ text: String) -> Date {
        // 2026-12-01T09:15:42.123456Z
        let whole = String(text.prefix(19)) + "Z"
        let base = ISO8601DateFormatter().date(from: whole)!
        let fraction = text.dropFirst(20).prefix(6)
        return base.addingTimeInterval(Double(Int(fraction) ?? 0) / 1_000_000)
    }
}

@Suite("Password reset tokens, as Django 6.1 makes and checks them")
struct PasswordResetVectorTests {
    static var vectors: PasswordResetVectors {
        get throws { try #require(PasswordResetVectors.loaded, "password-reset-vectors.json is missing or unreadable") }
    }

    static func generator(secret: String, fallbacks: [String] = [], now: String, timeZone: String, timeout: Int = 259_200) throws -> PasswordResetTokenGenerator {
        PasswordResetTokenGenerator(
            keys: try SigningKeys(secretKey: secret, fallbacks: fallbacks), timeout: timeout,
            timeZone: try #require(TimeZone(identifier: timeZone)), clock: ManualClock(PasswordResetVectors.date(now))
        )
    }

    @Test func theConstantsAreDjangos() throws {
        let vectors = try Self.vectors
        #expect(vectors.key_salt == PasswordResetTokenGenerator.keySalt)
        #expect(vectors.default_timeout == PasswordResetTokenGenerator.defaultTimeout)
        #expect(vectors.django.hasPrefix("6.1"))
    }

    @Test(arguments: PasswordResetVectors.loaded?.tokens ?? [])
    func gatehouseMakesDjangosToken(_ vector: PasswordResetVectors.Made) throws {
        let tokens = try Self.generator(secret: vector.secret, now: vector.now, timeZone: vector.time_zone)
        #expect(tokens.timestamp(at: PasswordResetVectors.date(vector.now)) == vector.timestamp)
        #expect(tokens.makeToken(for: vector.user.user) == vector.token)
        // And Gatehouse accepts what Django made.
        #expect(tokens.checkToken(vector.token, for: vector.user.user))
    }

    @Test(arguments: PasswordResetVectors.loaded?.checks ?? [])
    func gatehouseChecksAsDjangoDoes(_ vector: PasswordResetVectors.Check) throws {
        let tokens = try Self.generator(
            secret: vector.secret, fallbacks: vector.fallbacks, now: vector.now, timeZone: vector.time_zone, timeout: vector.timeout
        )
        #expect(tokens.checkToken(vector.token, for: vector.user.user) == vector.valid)
    }

    @Test func uidsAreDjangos() throws {
        let vectors = try Self.vectors
        for uid in vectors.uids {
            #expect(PasswordResetUID.encode(uid.pk) == uid.uidb64)
            #expect(PasswordResetUID.decode(uid.uidb64) == uid.pk)
        }
        for bad in vectors.bad_uids {
            #expect(PasswordResetUID.decode(bad) == nil, "\(bad)")
        }
        #expect(PasswordResetUID.decode("MQ=") == 1, "padding is optional, as in Django")
        #expect(PasswordResetUID.decode("LTE") == -1, "Django reads -1 (and finds nobody)")
        #expect(PasswordResetUID.decode(String(repeating: "M", count: 10_000)) == nil)
        #expect(PasswordResetUID.decode("MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw") == nil, "does not fit in 64 bits")
    }

    @Test func base36IsDjangos() throws {
        let vectors = try Self.vectors
        for pair in vectors.base36.pairs {
            #expect(Base36.encode(pair.int) == pair.base36)
            #expect(Base36.decode(pair.base36) == pair.int)
        }
        for refused in vectors.base36.refused {
            #expect(Base36.decode(refused) == nil, "\(refused)")
        }
        #expect(Base36.encode(-1) == nil)
        #expect(Base36.decode("zzzzzzzzzzzzz") == nil, "13 digits that overflow 64 bits")
    }

    @Test func theEmailFieldIsDjangos() throws {
        for vector in try Self.vectors.forms {
            let form = PasswordResetForm(email: vector.email)
            let errors = form.errors()[PasswordResetForm.emailField]
            #expect(errors.map(\.message) == vector.errors.map(\.message), "\(vector.email.debugDescription)")
            #expect(errors.map(\.code) == vector.errors.map(\.code), "\(vector.email.debugDescription)")
            #expect(errors.isEmpty == vector.valid)
            if let cleaned = vector.cleaned { #expect(form.cleanedEmail == cleaned) }
        }
    }

    @Test func emailsMatchAsDjangoComparesThem() throws {
        for vector in try Self.vectors.matches {
            #expect(PasswordResetForm.emailsMatch(vector.entered, vector.stored) == vector.match, "\(vector.entered) / \(vector.stored)")
        }
    }

    @Test func onlyActiveUsersWithAUsablePasswordGetALink() {
        let form = PasswordResetForm(email: "ALICE@example.com")
        let alice = User(id: 1, password: "md5$x$y", username: "alice", email: "alice@example.com", dateJoined: Date())
        #expect(form.sendsReset(to: alice))
        var inactive = alice
        inactive.isActive = false
        #expect(!form.sendsReset(to: inactive))
        var unusable = alice
        unusable.password = "!unusable"
        #expect(!form.sendsReset(to: unusable))
        var other = alice
        other.email = "bob@example.com"
        #expect(!form.sendsReset(to: other))
    }

    @Test func hostileTokensSimplyFail() throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let tokens = PasswordResetTokenGenerator(keys: try SigningKeys(secretKey: "k"), clock: clock)
        let alice = User(id: 1, password: "md5$x$y", username: "alice", email: "alice@example.com", dateJoined: Date())
        let good = tokens.makeToken(for: alice)
        #expect(tokens.checkToken(good, for: alice))
        for hostile in [
            "", "-", "--", "a-b-c", good + "-", "-" + good, String(repeating: "9", count: 1_000_000) + "-x",
            "zzzzzzzzzzzzz-" + good.split(separator: "-")[1], "ü" + good, good.uppercased(), "\u{0}" + good, good + "\u{0}",
        ] {
            #expect(!tokens.checkToken(hostile, for: alice), "\(hostile.prefix(40))")
        }
        // Expiry: valid for exactly the timeout, not a second more.
        clock.advance(by: TimeInterval(PasswordResetTokenGenerator.defaultTimeout))
        #expect(tokens.checkToken(good, for: alice))
        clock.advance(by: 1)
        #expect(!tokens.checkToken(good, for: alice))
    }
}
