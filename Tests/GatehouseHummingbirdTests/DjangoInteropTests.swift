import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehousePostgres
import GatehouseSQL
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import GatehouseTestSupport
import Testing

/// Gatehouse and real Django share logged-in users when they share a database and SECRET_KEY,
/// proven at the HTTP and session level: Django's own `login()` and `get_user()`
/// (scripts/django/interop_login.py, through Django's session and authentication middleware) on one
/// side, Gatehouse's router on SQL stores on the other, one database between them that only
/// Gatehouse's migrations made (Django's `migrate` never runs).
///
/// Runs when `GATEHOUSE_TEST_DJANGO_PYTHON` points at the oracle's Python; on PostgreSQL as well
/// when `GATEHOUSE_TEST_POSTGRES_URL` is set.
@Suite("Django and Gatehouse share logged-in users")
struct DjangoInteropTests {
    static let secret = "gatehouse-interop-secret-key-0123456789-abcdefghijklmnop"
    static let oldSecret = "gatehouse-interop-old-secret-key-9876543210-zyxwvutsrq"
    static let password = "correct horse battery staple ✓"
    static let pool = PasswordHashingPool(numberOfThreads: 2, maximumQueued: 1_000)
    /// Cheap hashes for the test; Django accepts any iteration count (and upgrades it at its login).
    static let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000), pool: pool)

    // MARK: Django → Gatehouse

    @Test(
        "Django's login() is a Gatehouse login",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func djangoLoginIsAcceptedByGatehouse(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            let zoe = try await gatehouse.createUser("zoë.django")
            let login = try await DjangoInterop.login(shared, secret: Self.secret, username: "zoë.django", password: Self.password)
            #expect(login.username == "zoë.django")
            #expect(login.user_id == String(zoe.id))
            // Django's authenticate() upgraded the cheap hash and its login() stamped last_login, both in
            // Gatehouse's auth_user row; Gatehouse reads them back.
            #expect(login.password_rehashed)
            let stored = try #require(try await gatehouse.users.user(id: zoe.id))
            #expect(stored.password.hasPrefix("pbkdf2_sha256$1500000$"))
            #expect(stored.lastLogin != nil)

            let keys = try SigningKeys(secretKey: Self.secret)
            try await gatehouse.app(keys: keys).test(.router) { client in
                let browser = Browser(client)
                browser.setCookie("sessionid", login.session_key)
                let profile = try await browser.get("/accounts/profile/")
                #expect(profile.status == .ok)
                #expect(String(buffer: profile.body).contains(#"<dd id="username">zoë.django</dd>"#))
                // Gatehouse added its bookkeeping to Django's session, under the same key, and
                // Django still accepts the session it rewrote.
                #expect(browser.cookie("sessionid") == login.session_key)
                #expect(try await browser.get("/accounts/profile/").status == .ok)
                let whoami = try await DjangoInterop.whoami(shared, secret: Self.secret, session: login.session_key)
                #expect(whoami.is_authenticated && whoami.username == "zoë.django")
                #expect(whoami.session_key_after == nil, "Django left the session where it was")
            }
        }
    }

    @Test(
        "a password change in Gatehouse ends a Django session",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func aPasswordChangeInGatehouseEndsADjangoSession(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            let bob = try await gatehouse.createUser("bob")
            let login = try await DjangoInterop.login(shared, secret: Self.secret, username: "bob", password: Self.password)
            let keys = try SigningKeys(secretKey: Self.secret)
            try await gatehouse.app(keys: keys).test(.router) { client in
                let browser = Browser(client)
                browser.setCookie("sessionid", login.session_key)
                #expect(try await browser.get("/accounts/profile/").status == .ok)

                // Reloaded: Django changed the hash and last_login since the user was created.
                let current = try #require(try await gatehouse.users.user(id: bob.id))
                try await gatehouse.manager.setPassword("a brand new passphrase ✓", for: current)

                let refused = try await browser.get("/accounts/profile/")
                #expect(refused.status == .found)
                #expect(refused.headers[.location] == "/accounts/login/?next=/accounts/profile/")
                let whoami = try await DjangoInterop.whoami(shared, secret: Self.secret, session: login.session_key)
                #expect(!whoami.is_authenticated && whoami.username == nil)
            }
        }
    }

    // MARK: Gatehouse → Django

    @Test(
        "Gatehouse's login form is a Django login, and its logout a Django logout",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func gatehouseLoginIsAcceptedByDjango(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            let carol = try await gatehouse.createUser("carol.gatehouse")
            let keys = try SigningKeys(secretKey: Self.secret)
            try await gatehouse.app(keys: keys).test(.router) { client in
                let browser = Browser(client)
                let page = try await browser.get("/accounts/login/")
                let token = try #require(Browser.csrfToken(in: page))
                let response = try await browser.post(
                    "/accounts/login/",
                    form: [("csrfmiddlewaretoken", token), ("username", "carol.gatehouse"), ("password", Self.password), ("next", "")]
                )
                #expect(response.status == .found)
                #expect(response.headers[.location] == "/accounts/profile/")
                let key = try #require(browser.cookie("sessionid"))

                let whoami = try await DjangoInterop.whoami(shared, secret: Self.secret, session: key)
                #expect(whoami.session_found)
                #expect(whoami.is_authenticated)
                #expect(whoami.username == "carol.gatehouse")
                #expect(whoami.user_id == String(carol.id))
                #expect(whoami.session_key_after == nil, "Django neither cycled nor deleted the session")

                let profile = try await browser.get("/accounts/profile/")
                let logoutToken = try #require(Browser.csrfToken(in: profile))
                let out = try await browser.post("/accounts/logout/", form: [("csrfmiddlewaretoken", logoutToken)])
                #expect(out.status == .ok)
                let after = try await DjangoInterop.whoami(shared, secret: Self.secret, session: key)
                #expect(!after.session_found)
                #expect(!after.is_authenticated && after.username == nil)
            }
        }
    }

    // MARK: SECRET_KEY_FALLBACKS

    @Test(
        "a session Django signed with an old key is accepted only while that key is a fallback",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func oldKeySessionsNeedTheFallback(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            _ = try await gatehouse.createUser("dave")
            let login = try await DjangoInterop.login(shared, secret: Self.oldSecret, username: "dave", password: Self.password)

            // Without the fallback first: a refused session is left in place, so the second app can
            // still be offered it.
            let rotated = try SigningKeys(secretKey: Self.secret)
            try await gatehouse.app(keys: rotated).test(.router) { client in
                let browser = Browser(client)
                browser.setCookie("sessionid", login.session_key)
                let refused = try await browser.get("/accounts/profile/")
                #expect(refused.status == .found)
                #expect(refused.headers[.location] == "/accounts/login/?next=/accounts/profile/")
            }
            let withFallback = try SigningKeys(secretKey: Self.secret, fallbacks: [Self.oldSecret])
            try await gatehouse.app(keys: withFallback).test(.router) { client in
                let browser = Browser(client)
                browser.setCookie("sessionid", login.session_key)
                let profile = try await browser.get("/accounts/profile/")
                #expect(profile.status == .ok)
                #expect(String(buffer: profile.body).contains(#"<dd id="username">dave</dd>"#))
            }
        }
    }

    /// Django's `get_user()`, finding a session whose auth hash verifies only with a fallback key,
    /// moves the session to a new key and stores the hash made with the current key, so the session
    /// outlives the fallback. Gatehouse (`SessionLogin.user(in:)`) accepts such a session but keeps the
    /// old hash: it re-signs the data with the current key yet drops the user once the fallback goes.
    @Test(
        "a session used during the fallback period outlives the fallback",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func sessionsUsedDuringRotationOutliveTheFallback(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            _ = try await gatehouse.createUser("erin")
            let rotated = try SigningKeys(secretKey: Self.secret)
            let withFallback = try SigningKeys(secretKey: Self.secret, fallbacks: [Self.oldSecret])

            // Django, both sides of the rotation: the session survives.
            let viaDjango = try await DjangoInterop.login(shared, secret: Self.oldSecret, username: "erin", password: Self.password)
            let during = try await DjangoInterop.whoami(shared, secret: Self.secret, fallbacks: [Self.oldSecret], session: viaDjango.session_key)
            #expect(during.is_authenticated)
            let migrated = try #require(during.session_key_after, "Django cycles the key of a session it re-hashed")
            let afterDjango = try await DjangoInterop.whoami(shared, secret: Self.secret, session: migrated)
            #expect(afterDjango.is_authenticated && afterDjango.username == "erin", "Django's control case")

            // Gatehouse during the rotation, then either side after it.
            let viaGatehouse = try await DjangoInterop.login(shared, secret: Self.oldSecret, username: "erin", password: Self.password)
            let key = try await gatehouse.app(keys: withFallback).test(.router) { client in
                let browser = Browser(client)
                browser.setCookie("sessionid", viaGatehouse.session_key)
                #expect(try await browser.get("/accounts/profile/").status == .ok)
                return try #require(browser.cookie("sessionid"))
            }
            let afterGatehouse = try await DjangoInterop.whoami(shared, secret: Self.secret, session: key)
            #expect(afterGatehouse.is_authenticated, "Django, after the fallback is gone")
            #expect(key != viaGatehouse.session_key, "re-hashing with the current key moves the session to a new key")
            try await gatehouse.app(keys: rotated).test(.router) { client in
                let browser = Browser(client)
                browser.setCookie("sessionid", key)
                let status = try await browser.get("/accounts/profile/").status
                #expect(status == .ok, "Gatehouse, after the fallback is gone")
            }
        }
    }
}

// MARK: - Gatehouse on the shared database

/// Gatehouse's stores on the shared database and its router with a given SECRET_KEY.
struct InteropGatehouse {
    let shared: InteropSharedDatabase
    let users: SQLAuthStore
    let manager: UserManager

    init(_ shared: InteropSharedDatabase) {
        self.shared = shared
        self.users = SQLAuthStore(provider: shared.provider)
        self.manager = UserManager(store: users, hashers: DjangoInteropTests.hashers)
    }

    /// A user made as `gatehouse users create` makes one, with ``DjangoInteropTests/password``.
    func createUser(_ username: String) async throws -> User {
        let draft = try manager.draft(username: username, email: "\(username)@example.com")
        try manager.validatePassword(DjangoInteropTests.password, for: draft)
        return try await manager.create(draft, password: DjangoInteropTests.password)
    }

    func app(keys: SigningKeys) -> some ApplicationProtocol {
        let builder = GatehouseRouterBuilder(
            users: users, sessions: SQLSessionStore(provider: shared.provider, keys: keys), keys: keys,
            hashers: DjangoInteropTests.hashers
        )
        return Application(router: builder.makeRouter(logRequests: false))
    }
}

/// A migrated database and the URL Django reaches it by (ORACLE_DB_URL's form).
struct InteropSharedDatabase: Sendable {
    let provider: any SQLDatabaseProvider
    let djangoURL: String
}

/// The engines the interop tests run on: SQLite always, PostgreSQL when configured.
enum InteropDatabase: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static var available: [InteropDatabase] {
        guard DjangoInterop.python != nil else { return [.sqlite] }
        guard postgresURL != nil else {
            DjangoInterop.note("the Django interop tests run on SQLite only: GATEHOUSE_TEST_POSTGRES_URL is not set (CI sets it)")
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }

    /// Migrations log each applied step at `info`; every test applies them to a new database.
    static var migrationLogger: Logger {
        var logger = Logger(label: "gatehouse.migrations")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` on a new database that Gatehouse's migrations made; the database is removed afterwards.
    func with<T>(_ body: (InteropSharedDatabase) async throws -> T) async throws -> T {
        switch self {
        case .sqlite: return try await Self.withSQLite(body)
        case .postgres: return try await Self.withPostgres(body)
        }
    }

    static func withSQLite<T>(_ body: (InteropSharedDatabase) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shared.sqlite3").path
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
        do {
            try await MigrationRunner(provider: provider, logger: migrationLogger).migrate()
            let result = try await body(InteropSharedDatabase(provider: provider, djangoURL: "sqlite:///" + path))
            try await provider.shutdown()
            return result
        } catch {
            try? await provider.shutdown()
            throw error
        }
    }

    static func withPostgres<T>(_ body: (InteropSharedDatabase) async throws -> T) async throws -> T {
        let base = try #require(postgresURL)
        let adminURL = try DatabaseURL(base)
        let name = "gh_interop_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))"
        var components = try #require(URLComponents(string: base))
        components.path = "/" + name
        let djangoURL = try #require(components.string)
        let admin = try PostgresDatabaseProvider(url: adminURL, pool: TestDatabases.patientPool)
        do {
            try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
        } catch {
            try? await admin.shutdown()
            throw error
        }
        let provider = try PostgresDatabaseProvider(url: adminURL.replacingDatabase(with: name), pool: TestDatabases.patientPool)
        let outcome: Result<T, any Error>
        do {
            try await MigrationRunner(provider: provider, logger: migrationLogger).migrate()
            outcome = .success(try await body(InteropSharedDatabase(provider: provider, djangoURL: djangoURL)))
        } catch {
            outcome = .failure(error)
        }
        try? await provider.shutdown()
        // FORCE: Django's connection is gone with its process, but be sure.
        try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
        try? await admin.shutdown()
        return try outcome.get()
    }
}

// MARK: - Django's side

/// Runs scripts/django/interop_login.py with the oracle's Python.
enum DjangoInterop {
    static let python = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether the tests can run; prints a note once when they cannot.
    static var enabled: Bool {
        if python == nil {
            note("skipped the Django interop tests: GATEHOUSE_TEST_DJANGO_PYTHON is not set (CI sets it)")
            return false
        }
        return true
    }

    private static let notes = InteropNotes()

    static func note(_ text: String) {
        if notes.first(text) { print("note: \(text)") }
    }

    /// What `django-login` prints.
    struct Login: Decodable {
        var session_key: String
        var user_id: String
        var username: String
        var password_rehashed: Bool
    }

    /// What `django-whoami` prints.
    struct WhoAmI: Decodable {
        var username: String?
        var is_authenticated: Bool
        var user_id: String?
        var session_found: Bool
        var session_key_after: String?
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Django's `authenticate()` and `login()` on `shared` under `secret`.
    static func login(_ shared: InteropSharedDatabase, secret: String, fallbacks: [String] = [], username: String, password: String) async throws -> Login {
        try await run(
            ["django-login", "--db", shared.djangoURL, "--secret", secret] + fallbacks.flatMap { ["--fallback", $0] }
                + ["--username", username, "--password", password],
            as: Login.self
        )
    }

    /// The user Django's `get_user()` finds for the session cookie `session`.
    static func whoami(_ shared: InteropSharedDatabase, secret: String, fallbacks: [String] = [], session: String) async throws -> WhoAmI {
        try await run(
            ["django-whoami", "--db", shared.djangoURL, "--secret", secret] + fallbacks.flatMap { ["--fallback", $0] }
                + ["--session", session],
            as: WhoAmI.self
        )
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs the script without blocking a Swift concurrency thread; output goes through files, so a
    /// full pipe can never stall it.
    static func run<T: Decodable>(_ arguments: [String], as type: T.Type, script: String = "interop_login.py") async throws -> T {
        let python = try #require(python)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-interop-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdout = scratch.appendingPathComponent("stdout")
        let stderr = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdout)
        let err = try FileHandle(forWritingTo: stderr)
        defer {
            try? out.close()
            try? err.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python.hasPrefix("/") ? python : root.appendingPathComponent(python).path)
        process.arguments = [root.appendingPathComponent("scripts/django/" + script).path] + arguments
        // Any working directory will do; a neutral one proves it.
        process.currentDirectoryURL = scratch
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let output = try Data(contentsOf: stdout)
        guard status == 0 else {
            let errors = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            throw Failure(message: "\(script) \(arguments.first ?? "") exited \(status): \(String(decoding: output, as: UTF8.self)) \(errors)")
        }
        return try JSONDecoder().decode(T.self, from: output)
    }
}

final class InteropNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var printed: Set<String> = []

    func first(_ text: String) -> Bool {
        lock.withLock { printed.insert(text).inserted }
    }
}
