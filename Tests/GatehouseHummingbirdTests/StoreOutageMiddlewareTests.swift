import Foundation
import Gatehouse
import GatehouseHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

// A database outage met anywhere below the builder's middleware (a guard, a view, a group lookup)
// answers 503 with the security headers, never 500; other errors are left as they were.
@Suite("StoreOutageMiddleware: an unavailable database is a 503")
struct StoreOutageMiddlewareTests {
    @Test func anUnavailableStoreAnswers503AndOtherErrorsAreUntouched() async throws {
        let store = MemoryAuthStore()
        let keys = try SigningKeys(secretKey: "store-outage-test-secret-0123456789abcdef")
        let builder = GatehouseRouterBuilder(users: store, sessions: MemorySessionStore(), keys: keys)
        let router = Router(context: GatehouseRequestContext.self)
        builder.install(on: router, logRequests: false)
        router.get("/outage") { _, _ -> String in throw StoreError.unavailable("no database connection within 5 seconds") }
        router.get("/duplicate") { _, _ -> String in throw StoreError.duplicate("username") }
        try await Application(router: router).test(.router) { client in
            let outage = try await client.execute(uri: "/outage", method: .get)
            #expect(outage.status == .serviceUnavailable)
            #expect(outage.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "the security headers are on the 503")
            #expect(!String(buffer: outage.body).contains("5 seconds"), "the store's reason stays in the log")
            let other = try await client.execute(uri: "/duplicate", method: .get)
            #expect(other.status == .internalServerError)
        }
    }
}
