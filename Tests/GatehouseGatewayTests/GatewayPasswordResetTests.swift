import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseTestSupport
import GatehouseTesting
import Hummingbird
import HummingbirdTesting
import Testing

/// Behind a policy that requires a login everywhere, the password reset pages are still Gatehouse's
/// own and reachable anonymously (they are among the login configuration's page paths).
@Suite("Gateway: password reset pages")
struct GatewayPasswordResetTests {
    @Test func theResetPagesAreExemptFromThePolicy() async throws {
        let store = MemoryAuthStore()
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))
        let alice = try await store.insertUser(
            NewUser(username: "alice", password: try await hashers.makePassword("correct horse battery staple"), email: "alice@example.com", dateJoined: Date())
        )
        var builder = GatehouseRouterBuilder(
            users: store, sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "gateway-reset-secret-0123456789abcdefghijk"), hashers: hashers
        )
        let outbox = EmailOutbox()
        builder.emailSender = outbox
        let policy = PolicyHolder(try GatewayPolicy(yaml: "rules:\n  - path: /\n    require: authenticated\n"))
        let gateway = GatewayRouterBuilder(gatehouse: builder, policy: policy, groups: store)
        let tokens = builder.passwordResetTokens
        #expect(gateway.exemptPrefixes.contains("/accounts/reset/") && gateway.exemptPrefixes.contains("/accounts/password_reset/"))
        try await Application(router: try gateway.makeRouter(logRequests: false)).test(.router) { client async throws in
            #expect(try await Browser(client).get("/elsewhere/").status == .found, "the policy applies elsewhere")
            let browser = Browser(client)
            let form = try await browser.get("/accounts/password_reset/")
            #expect(form.status == .ok)
            let csrf = try #require(Browser.csrfToken(in: form))
            let asked = try await browser.post("/accounts/password_reset/", form: [("csrfmiddlewaretoken", csrf), ("email", "alice@example.com")])
            #expect(asked.status == .found && asked.headers[.location] == "/accounts/password_reset/done/")
            #expect(try await browser.get("/accounts/password_reset/done/").status == .ok)
            let token = tokens.makeToken(for: alice)
            let uid = PasswordResetUID.encode(alice.id)
            let opened = try await browser.get("/accounts/reset/\(uid)/\(token)/")
            #expect(opened.status == .found && opened.headers[.location] == "/accounts/reset/\(uid)/set-password/")
            #expect(try await browser.get("/accounts/reset/\(uid)/set-password/").status == .ok)
            #expect(try await browser.get("/accounts/reset/done/").status == .ok)
        }
        await builder.emailDeliveries.waitUntilIdle()
        #expect(outbox.messages.count == 1)
    }
}
