import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import Testing

// A user store that keeps no permissions cannot back a permission checker: the builders say so when
// the server is wired instead of handing out a checker that denies every request.
@Suite("Wiring errors are reported at start, not as 403s on every request")
struct ConfigurationErrorTests {
    /// Users only: no `PermissionStore` conformance.
    struct UsersOnly: UserStore {
        let base = MemoryAuthStore()
        func insertUser(_ user: NewUser) async throws -> User { try await base.insertUser(user) }
        func user(id: Int64) async throws -> User? { await base.user(id: id) }
        func user(username: String) async throws -> User? { await base.user(username: username) }
        func updateUser(_ user: User) async throws { try await base.updateUser(user) }
        func deleteUser(id: Int64) async throws -> Bool { await base.deleteUser(id: id) }
        func users(offset: Int, limit: Int) async throws -> [User] { await base.users(offset: offset, limit: limit) }
    }

    static func builder(users: any UserStore) throws -> GatehouseRouterBuilder {
        GatehouseRouterBuilder(
            users: users, sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "configuration-secret-0123456789abcdefghij")
        )
    }

    @Test func aPermissionCheckerOnAStoreWithoutPermissionsIsAnError() throws {
        let builder = try Self.builder(users: UsersOnly())
        let error = #expect(throws: GatehouseConfigurationError.self) { _ = try builder.permissionChecker }
        #expect(error?.description.contains("UsersOnly") == true)
        #expect(error?.description.contains("keeps no permissions") == true)
        // A store that keeps permissions gives a working checker.
        _ = try Self.builder(users: MemoryAuthStore()).permissionChecker
    }

    @Test func theGatewayRouterRefusesToStartOnSuchAStore() throws {
        let users = UsersOnly()
        let gateway = GatewayRouterBuilder(
            gatehouse: try Self.builder(users: users), policy: PolicyHolder(try GatewayPolicy(yaml: "rules: []\n")), groups: MemoryAuthStore()
        )
        #expect(throws: GatehouseConfigurationError.self) { _ = try gateway.makeRouter(logRequests: false) }
    }
}
