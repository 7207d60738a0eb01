import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseTestSupport
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Invariant 9: a store error is never a logout. The user's backend fails once while loading the
/// session's user: that request gets 503, the session survives, and the next request is logged in.
@Suite("A store error is not a logout")
struct StoreErrorTests {
    struct Outage: Error {}

    /// The model backend, failing `user(id:)` while `failures` is above zero.
    final class FlakyBackend: AuthenticationBackend {
        let base: ModelBackend
        let failures = Mutex(0)
        var identifier: String { base.identifier }

        init(_ base: ModelBackend) { self.base = base }

        func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> User? {
            try await base.authenticate(credentials, request: request)
        }

        func user(id: Int64) async throws -> User? {
            let fail = failures.withLock { count in
                defer { count = max(0, count - 1) }
                return count > 0
            }
            if fail { throw Outage() }
            return try await base.user(id: id)
        }
    }

    @Test func aFailingUserLoadAnswers503AndKeepsTheSession() async throws {
        let store = MemoryAuthStore()
        let sessions = MemorySessionStore()
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))
        _ = try await store.insertUser(NewUser(username: "alice", password: try await hashers.makePassword("correct horse battery staple"), dateJoined: Date()))
        let flaky = FlakyBackend(ModelBackend(store: store, hashers: hashers))
        var builder = GatehouseRouterBuilder(
            users: store, sessions: sessions, keys: try SigningKeys(secretKey: "store-error-secret-0123456789abcdefghijklmn"), hashers: hashers
        )
        builder.backends = [flaky]
        let logs = LogCapture()
        let app = Application(router: builder.makeRouter(logRequests: false), logger: logs.logger("store-error-test"))
        try await app.test(.router) { client in
            let browser = Browser(client)
            #expect(try await browser.logIn(username: "alice", password: "correct horse battery staple").status == .found)
            let key = try #require(browser.cookie("sessionid"))
            #expect(try await browser.get("/accounts/profile/").status == .ok)

            flaky.failures.withLock { $0 = 1 }
            let failed = try await browser.get("/accounts/profile/")
            #expect(failed.status == .serviceUnavailable)
            #expect(failed.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("sessionid=") }, "the cookie is neither deleted nor replaced")
            #expect(browser.cookie("sessionid") == key)
            #expect(await sessions.load(key: key, now: Date()) != nil, "the session row is still there")
            let errors = logs.errors
            #expect(errors.map(\.message) == ["the session's user could not be loaded"], "logged once, as an error")
            #expect(!errors.contains { $0.text.contains(key) }, "without the session key")

            let again = try await browser.get("/accounts/profile/")
            #expect(again.status == .ok, "the next request is logged in again")
            #expect(String(buffer: again.body).contains("alice"))
        }
    }
}
