import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import Hummingbird
import HummingbirdTesting
import Testing

/// Password reset links work across Gatehouse and real Django on one database and SECRET_KEY, both
/// ways (scripts/django/interop_password_reset.py: Django's `default_token_generator` and its
/// `PasswordResetConfirmView`), and stop working on both sides for the same reasons.
@Suite("Django and Gatehouse accept each other's password reset links")
struct PasswordResetDjangoInteropTests {
    static let secret = DjangoInteropTests.secret

    struct Made: Decodable {
        var uidb64: String
        var token: String
        var user_id: String
    }

    struct Checked: Decodable {
        var user_found: Bool
        var valid: Bool
        var view_status: Int
        var view_location: String?
    }

    static func djangoMakes(_ shared: InteropSharedDatabase, username: String, fallbacks: [String] = [], secret: String = secret) async throws -> Made {
        try await DjangoInterop.run(
            ["django-make-token", "--db", shared.djangoURL, "--secret", secret] + fallbacks.flatMap { ["--fallback", $0] } + ["--username", username],
            as: Made.self, script: "interop_password_reset.py"
        )
    }

    static func djangoChecks(_ shared: InteropSharedDatabase, uidb64: String, token: String, later: Int = 0, fallbacks: [String] = []) async throws -> Checked {
        try await DjangoInterop.run(
            ["django-check-token", "--db", shared.djangoURL, "--secret", secret] + fallbacks.flatMap { ["--fallback", $0] }
                + ["--uidb64", uidb64, "--token", token, "--later", String(later)],
            as: Checked.self, script: "interop_password_reset.py"
        )
    }

    /// Gatehouse on the shared database, mailing into `outbox`, on `clock`.
    static func app(_ gatehouse: InteropGatehouse, outbox: EmailOutbox, clock: any WallClock = SystemWallClock(), keys: SigningKeys) -> (some ApplicationProtocol, GatehouseRouterBuilder) {
        var builder = GatehouseRouterBuilder(
            users: gatehouse.users, sessions: SQLSessionStore(provider: gatehouse.shared.provider, keys: keys), keys: keys,
            hashers: DjangoInteropTests.hashers, clock: clock
        )
        builder.emailSender = outbox
        return (Application(router: builder.makeRouter(logRequests: false)), builder)
    }

    @Test(
        "a link Gatehouse sends passes Django's check_token and view, until a login or a password change",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func gatehouseLinksWorkInDjango(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            let user = try await gatehouse.createUser("reset.gatehouse")
            let outbox = EmailOutbox()
            let (app, builder) = Self.app(gatehouse, outbox: outbox, keys: try SigningKeys(secretKey: Self.secret))
            let path = try await app.test(.router) { client -> String in
                _ = try await PasswordResetFlowTests.askForReset(Browser(client), email: "reset.gatehouse@example.com")
                await builder.emailDeliveries.waitUntilIdle()
                return try PasswordResetFlowTests.linkPath(in: try #require(outbox.messages.first))
            }
            let parts = path.split(separator: "/").map(String.init)
            let (uid, token) = (parts[2], parts[3])
            #expect(uid == PasswordResetUID.encode(user.id))
            let fresh = try await Self.djangoChecks(shared, uidb64: uid, token: token)
            #expect(fresh.user_found && fresh.valid)
            #expect(fresh.view_status == 302 && fresh.view_location == "/accounts/reset/\(uid)/set-password/")
            // Django's clock 3 days on: still valid; a minute past them: expired.
            #expect(try await Self.djangoChecks(shared, uidb64: uid, token: token, later: 259_200 - 60).valid)
            #expect(try await !Self.djangoChecks(shared, uidb64: uid, token: token, later: 259_200 + 60).valid)

            // A Gatehouse login (last_login) ends it for Django.
            try await app.test(.router) { client async throws in
                #expect(try await Browser(client).logIn(username: "reset.gatehouse", password: DjangoInteropTests.password).status == .found)
            }
            let afterLogin = try await Self.djangoChecks(shared, uidb64: uid, token: token)
            #expect(!afterLogin.valid && afterLogin.view_status == 200)

            // A fresh link, used in Gatehouse: spent for Django too.
            let second = builder.passwordResetTokens.makeToken(for: try #require(try await gatehouse.users.user(id: user.id)))
            #expect(try await Self.djangoChecks(shared, uidb64: uid, token: second).valid)
            try await app.test(.router) { client async throws in
                let browser = Browser(client)
                #expect(try await browser.get("/accounts/reset/\(uid)/\(second)/").status == .found)
                let done = try await PasswordResetFlowTests.setPassword(
                    browser, at: "/accounts/reset/\(uid)/set-password/", "a new staple battery ✓", "a new staple battery ✓"
                )
                #expect(done.status == .found)
            }
            #expect(try await !Self.djangoChecks(shared, uidb64: uid, token: second).valid)
        }
    }

    @Test(
        "a link Django makes works on Gatehouse's reset page, until an email change or the timeout",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func djangoLinksWorkInGatehouse(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            let user = try await gatehouse.createUser("reset.django")
            let made = try await Self.djangoMakes(shared, username: "reset.django")
            #expect(made.user_id == String(user.id))
            let clock = ManualClock(Date())
            let keys = try SigningKeys(secretKey: Self.secret)
            let (app, _) = Self.app(gatehouse, outbox: EmailOutbox(), clock: clock, keys: keys)
            try await app.test(.router) { client async throws in
                let link = "/accounts/reset/\(made.uidb64)/\(made.token)/"
                // The timeout, on Gatehouse's clock.
                clock.advance(by: 259_200 + 60)
                #expect(String(buffer: try await Browser(client).get(link).body).contains("The password reset link was invalid"))
                clock.set(Date())

                // Valid: the whole reset through Gatehouse's pages.
                let browser = Browser(client)
                let opened = try await browser.get(link)
                #expect(opened.status == .found && opened.headers[.location] == "/accounts/reset/\(made.uidb64)/set-password/")
                let done = try await PasswordResetFlowTests.setPassword(
                    browser, at: "/accounts/reset/\(made.uidb64)/set-password/", "a new staple battery ✓", "a new staple battery ✓"
                )
                #expect(done.status == .found && done.headers[.location] == "/accounts/reset/done/")
                #expect(try await Browser(client).logIn(username: "reset.django", password: "a new staple battery ✓").status == .found)
                // Used: refused on both sides.
                #expect(String(buffer: try await Browser(client).get(link).body).contains("The password reset link was invalid"))
            }
            #expect(try await !Self.djangoChecks(shared, uidb64: made.uidb64, token: made.token).valid)

            // An email change (Gatehouse's store) ends a Django link on both sides.
            let another = try await Self.djangoMakes(shared, username: "reset.django")
            try await app.test(.router) { client async throws in
                #expect(try await Browser(client).get("/accounts/reset/\(another.uidb64)/\(another.token)/").status == .found)
            }
            var current = try #require(try await gatehouse.users.user(id: user.id))
            current.email = "reset.django@example.org"
            try await gatehouse.users.updateUser(current)
            #expect(try await !Self.djangoChecks(shared, uidb64: another.uidb64, token: another.token).valid)
            try await app.test(.router) { client async throws in
                #expect(try await Browser(client).get("/accounts/reset/\(another.uidb64)/\(another.token)/").status == .ok)
            }
        }
    }

    @Test(
        "a link Django made under the old SECRET_KEY works while that key is a fallback",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: [InteropDatabase.sqlite]
    )
    func fallbackKeys(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            _ = try await gatehouse.createUser("reset.rotated")
            let made = try await Self.djangoMakes(shared, username: "reset.rotated", secret: DjangoInteropTests.oldSecret)
            let link = "/accounts/reset/\(made.uidb64)/\(made.token)/"
            let (without, _) = Self.app(gatehouse, outbox: EmailOutbox(), keys: try SigningKeys(secretKey: Self.secret))
            try await without.test(.router) { client async throws in
                #expect(try await Browser(client).get(link).status == .ok)
            }
            let (with, _) = Self.app(gatehouse, outbox: EmailOutbox(), keys: try SigningKeys(secretKey: Self.secret, fallbacks: [DjangoInteropTests.oldSecret]))
            try await with.test(.router) { client async throws in
                #expect(try await Browser(client).get(link).status == .found)
            }
        }
    }
}
