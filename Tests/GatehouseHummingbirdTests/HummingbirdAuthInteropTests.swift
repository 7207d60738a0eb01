import Foundation
import Gatehouse
import GatehouseHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdBasicAuth
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// An app that already authenticates with hummingbird-auth (`BasicAuthenticator`,
/// `AuthorizationPolicyMiddleware`, its own `BasicAuthRequestContext`) adopting Gatehouse piece by
/// piece: Gatehouse's hashers verify the Django-format hashes, Gatehouse's requirements authorize.
@Suite("hummingbird-auth interop: BasicAuthenticator and AuthorizationPolicyMiddleware on Gatehouse")
struct HummingbirdAuthInteropTests {
    typealias Context = BasicAuthRequestContext<User>
    static let password = "correct horse battery staple"

    struct Site {
        let router: Router<Context>
        let store: MemoryAuthStore
        let hashCount: HashCounter
    }

    /// Counts what the verifier is asked, to show an unknown user costs one hash too.
    final class HashCounter: Sendable {
        let count = Mutex(0)
    }

    struct CountingVerifier: PasswordHashVerifier {
        let inner: GatehousePasswordVerifier
        let counter: HashCounter
        func verifyPassword(_ password: String, createsHash hash: String) async throws -> Bool {
            counter.count.withLock { $0 += 1 }
            return try await inner.verifyPassword(password, createsHash: hash)
        }
    }

    static func site() async throws -> Site {
        let store = MemoryAuthStore()
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000), others: [BCryptSHA256PasswordHasher(cost: 4)])
        let pbkdf2 = try await hashers.makePassword(password)
        let bcrypt = try await hashers.makePassword(password, salt: nil, algorithm: "bcrypt_sha256")
        let alice = try await store.insertUser(NewUser(username: "alice", password: pbkdf2, dateJoined: Date()))
        let bob = try await store.insertUser(NewUser(username: "bob", password: bcrypt, dateJoined: Date()))
        _ = try await store.insertUser(NewUser(username: "carol", password: pbkdf2, isActive: false, dateJoined: Date()))
        _ = try await store.insertUser(NewUser(username: "root", password: pbkdf2, isSuperuser: true, dateJoined: Date()))
        let reports = try await store.insertContentType(appLabel: "reports", model: "report")
        let view = try await store.insertPermission(name: "Can view report", codename: "view_report", contentTypeID: reports.id)
        let readers = try await store.insertGroup(name: "readers")
        try await store.grant(view.id, toGroup: readers.id)
        try await store.addUser(alice.id, toGroup: readers.id)
        _ = bob

        let counter = HashCounter()
        let checker = PermissionChecker(backends: [ModelPermissionBackend(store: store)])
        let router = Router(context: Context.self)
        router.add(
            middleware: BasicAuthenticator(
                users: GatehouseUserPasswordRepository(users: store),
                passwordHashVerifier: CountingVerifier(inner: GatehousePasswordVerifier(hashers: hashers), counter: counter),
                context: Context.self
            )
        )
        router.get("/whoami") { _, context in context.identity?.username ?? "nobody" }
        router.group("/reports")
            .add(middleware: AuthorizationPolicyMiddleware(GatehouseAccessPolicy(.allPermissions(["reports.view_report"]), checker: checker), context: Context.self))
            .get("/") { _, context in "reports for \(try context.requireIdentity().username)" }
        router.group("/readers")
            .add(middleware: AuthorizationPolicyMiddleware(GatehouseAccessPolicy(.groups(["readers"]), checker: checker, groups: store), context: Context.self))
            .get("/") { _, _ in "readers" }
        router.group("/closed")
            .add(middleware: AuthorizationPolicyMiddleware(GatehouseAccessPolicy(.deny, checker: checker), context: Context.self))
            .get("/") { _, _ in "never" }
        return Site(router: router, store: store, hashCount: counter)
    }

    static func basic(_ username: String, _ password: String = password) -> HTTPFields {
        var headers = HTTPFields()
        headers[.authorization] = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        return headers
    }

    @Test("Django-format hashes (pbkdf2_sha256, bcrypt_sha256) verify through BasicAuthenticator")
    func basicAuthentication() async throws {
        let site = try await Self.site()
        try await Application(router: site.router).test(.router) { client in
            try await client.execute(uri: "/whoami", method: .get, headers: Self.basic("alice")) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "alice")
            }
            try await client.execute(uri: "/whoami", method: .get, headers: Self.basic("bob")) { response in
                #expect(String(buffer: response.body) == "bob")
            }
            for (user, password) in [("alice", "wrong"), ("carol", Self.password), ("nobody", Self.password)] {
                try await client.execute(uri: "/whoami", method: .get, headers: Self.basic(user, password)) { response in
                    #expect(String(buffer: response.body) == "nobody", "\(user)")
                }
            }
        }
        // Five requests, five hashes: the unknown and the inactive user were hashed against too.
        #expect(site.hashCount.count.withLock { $0 } == 5)
    }

    @Test("GatehouseAccessPolicy in AuthorizationPolicyMiddleware: 200, 401 without identity, 403 when refused")
    func authorization() async throws {
        let site = try await Self.site()
        try await Application(router: site.router).test(.router) { client in
            let cases: [(String, HTTPFields, HTTPResponse.Status)] = [
                ("/reports/", Self.basic("alice"), .ok),  // through the group readers
                ("/reports/", Self.basic("root"), .ok),  // a superuser holds every permission
                ("/reports/", Self.basic("bob"), .forbidden),
                ("/reports/", Self.basic("alice", "wrong"), .unauthorized),
                ("/reports/", HTTPFields(), .unauthorized),
                ("/readers/", Self.basic("alice"), .ok),
                ("/readers/", Self.basic("root"), .forbidden),  // superusers only when members
                ("/closed/", Self.basic("root"), .forbidden),
                ("/closed/", HTTPFields(), .unauthorized),
            ]
            for (uri, headers, status) in cases {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == status, "\(uri) \(headers[.authorization] ?? "anonymous")")
                }
            }
        }
    }

    @Test("the policy decides exactly as the requirement's outcome does")
    func sameDecisionAsRequirement() async throws {
        let site = try await Self.site()
        let checker = PermissionChecker(backends: [ModelPermissionBackend(store: site.store)])
        let request = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/"),
            body: RequestBody(buffer: ByteBuffer())
        )
        let requirements: [AccessRequirement] = [
            .public, .authenticated, .staff, .superuser, .deny, .allPermissions(["reports.view_report"]),
            .anyPermissions(["reports.view_report", "reports.add_report"]), .groups(["readers"]),
            .custom(name: "a-names") { $0.isAuthenticated },
        ]
        for username in ["alice", "bob", "carol", "root"] {
            let user = try #require(await site.store.user(username: username))
            for requirement in requirements {
                let policy = GatehouseAccessPolicy(requirement, checker: checker, groups: site.store)
                let expected = try await requirement.outcome(for: user, checker: checker) {
                    Set(await site.store.groups(ofUser: user.id).map(\.name))
                }
                #expect(try await policy.isAuthorized(identity: user, request: request) == (expected == .allow), "\(username) \(requirement)")
            }
        }
    }
}
