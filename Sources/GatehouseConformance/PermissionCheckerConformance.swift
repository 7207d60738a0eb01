public import Gatehouse
import Foundation
public import Testing

/// Django's permission semantics, checked through a ``PermissionChecker`` on any ``AuthStore``,
/// with and without the ``PermissionCache``: memory, SQLite and PostgreSQL run the same list.
///
/// ```swift
/// @Test(arguments: PermissionCheckerConformance.cases)
/// func semantics(_ check: PermissionCheckerConformance.Case) async throws {
///     try await check.run(on: MemoryAuthStore())
/// }
/// ```
public enum PermissionCheckerConformance {
    /// One named check, run on a fresh, empty store.
    public struct Case: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the case checks, and whether the checker caches.
        public let name: String
        let cached: Bool
        let body: @Sendable (World) async throws -> Void

        /// Runs the case on `store`, which must be empty.
        ///
        /// ```swift
        /// try await check.run(on: SQLAuthStore(provider: provider))
        /// ```
        public func run(on store: any AuthStore) async throws {
            try await body(try await World.make(store, cached: cached))
        }

        /// The case's name.
        public var description: String { name }
        /// The case's name, as Swift Testing shows it.
        public var testDescription: String { name }
    }

    /// Alice holds `blog.view_post` herself; bob holds `blog.change_post` through `editors`; root is a
    /// superuser.
    struct World: Sendable {
        let store: any AuthStore
        let alice: User
        let bob: User
        let root: User
        let cached: Bool

        /// The model backend, through a cache when the case is a cached one.
        func model() -> any PermissionBackend {
            let backend = ModelPermissionBackend(store: store)
            guard cached, let tracking = store as? any PermissionChangeTracking else { return backend }
            return CachedPermissionBackend(backend, cache: PermissionCache(), versions: tracking.permissionVersion)
        }

        var checker: PermissionChecker { PermissionChecker(backends: [model()]) }

        static func make(_ store: any AuthStore, cached: Bool) async throws -> World {
            let post = try await store.insertContentType(appLabel: "blog", model: "post")
            let report = try await store.insertContentType(appLabel: "reports", model: "report")
            let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
            let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
            _ = try await store.insertPermission(name: "Can view report", codename: "view_report", contentTypeID: report.id)
            let joined = Date(timeIntervalSince1970: 1_700_000_000)
            let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: joined))
            let bob = try await store.insertUser(NewUser(username: "bob", password: "!", dateJoined: joined))
            let root = try await store.insertUser(NewUser(username: "root", password: "!", isSuperuser: true, dateJoined: joined))
            let editors = try await store.insertGroup(name: "editors")
            try await store.grant(view.id, toUser: alice.id)
            try await store.grant(change.id, toGroup: editors.id)
            try await store.addUser(bob.id, toGroup: editors.id)
            if cached { #expect(store is any PermissionChangeTracking, "the cached cases need a store that tracks its changes") }
            return World(store: store, alice: alice, bob: bob, root: root, cached: cached)
        }
    }

    private typealias Check = (name: String, body: @Sendable (World) async throws -> Void)

    private static func check(_ name: String, _ body: @escaping @Sendable (World) async throws -> Void) -> Check {
        (name, body)
    }

    private static let checks: [Check] = [
        check("own and group grants, superusers, all/any/module") { w in
            try Task.checkCancellation()  // a try outside #expect: the closure is inferred as throwing
            let checker = w.checker
            // Twice: the second round is answered from the cache in the cached cases.
            for _ in 0..<2 {
                #expect(try await checker.hasPermission(w.alice, "blog.view_post"))
                #expect(try await !checker.hasPermission(w.alice, "blog.change_post"))
                #expect(try await checker.hasPermission(w.bob, "blog.change_post"))
                #expect(try await !checker.hasPermission(w.bob, "blog.view_post"))
                #expect(try await checker.hasPermission(w.root, "anything.at_all"))
                #expect(try await checker.allPermissions(of: w.root) == ["blog.view_post", "blog.change_post", "reports.view_report"])
                #expect(try await checker.hasPermissions(w.alice, []))
                #expect(try await !checker.hasPermissions(w.alice, ["blog.view_post", "blog.change_post"]))
                #expect(try await checker.hasAnyPermission(w.alice, ["blog.view_post", "blog.change_post"]))
                #expect(try await checker.hasModulePermissions(w.alice, appLabel: "blog"))
                #expect(try await !checker.hasModulePermissions(w.alice, appLabel: "reports"))
                #expect(try await !checker.hasModulePermissions(w.alice, appLabel: "blo"), "a prefix of an app label is not the app")
            }
        },
        check("inactive and anonymous users have nothing") { w in
            try Task.checkCancellation()  // a try outside #expect: the closure is inferred as throwing
            let checker = w.checker
            _ = try await checker.allPermissions(of: w.alice)  // warm the cache for the active alice
            var root = w.root
            root.isActive = false
            var alice = w.alice
            alice.isActive = false
            #expect(try await !checker.hasPermission(root, "blog.view_post"), "an inactive superuser has nothing")
            #expect(try await !checker.hasPermission(alice, "blog.view_post"))
            #expect(try await checker.allPermissions(of: alice).isEmpty)
            #expect(try await !checker.hasPermission(AnonymousUser(), "blog.view_post"))
            #expect(try await !checker.hasModulePermissions(AnonymousUser(), appLabel: "blog"))
        },
        check("object questions get nothing from the model backend") { w in
            try Task.checkCancellation()  // a try outside #expect: the closure is inferred as throwing
            let checker = w.checker
            let post = PermissionTarget(appLabel: "blog", model: "post", objectID: "1")
            #expect(try await !checker.hasPermission(w.alice, "blog.view_post", on: post))
            #expect(try await checker.hasPermission(w.root, "blog.view_post", on: post), "superusers pass object checks too")
        },
        check("backends are asked in order and a refusal stops the chain") { w in
            try Task.checkCancellation()  // a try outside #expect: the closure is inferred as throwing
            struct Refuser: PermissionBackend {
                func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> { [] }
                func hasPermission(_ account: any UserAccount, _ permission: String, on target: PermissionTarget?) async throws -> Bool {
                    throw PermissionRefused(reason: "frozen")
                }
                func hasModulePermissions(_ account: any UserAccount, appLabel: String) async throws -> Bool {
                    throw PermissionRefused(reason: "frozen")
                }
            }
            struct AnonymousReaders: PermissionBackend {
                func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> {
                    account.isAuthenticated ? [] : ["blog.view_post"]
                }
            }
            let refusedFirst = PermissionChecker(backends: [Refuser(), w.model()])
            #expect(try await !refusedFirst.hasPermission(w.alice, "blog.view_post"))
            #expect(try await !refusedFirst.hasModulePermissions(w.alice, appLabel: "blog"))
            let grantedFirst = PermissionChecker(backends: [w.model(), Refuser()])
            #expect(try await grantedFirst.hasPermission(w.alice, "blog.view_post"), "an earlier grant wins")
            let anonymous = PermissionChecker(backends: [w.model(), AnonymousReaders()])
            #expect(try await anonymous.hasPermission(AnonymousUser(), "blog.view_post"), "a backend may grant anonymous users")
            #expect(try await !anonymous.hasPermission(AnonymousUser(), "blog.change_post"))
        },
        check("grants, revokes and membership changes show on the next check") { w in
            try Task.checkCancellation()  // a try outside #expect: the closure is inferred as throwing
            let checker = w.checker
            let store = w.store
            let change = try #require(try await store.permission(appLabel: "blog", codename: "change_post"))
            let editors = try #require(try await store.group(name: "editors"))
            #expect(try await !checker.hasPermission(w.alice, "blog.change_post"))
            try await store.addUser(w.alice.id, toGroup: editors.id)
            #expect(try await checker.hasPermission(w.alice, "blog.change_post"))
            _ = try await store.revoke(change.id, fromGroup: editors.id)
            #expect(try await !checker.hasPermission(w.alice, "blog.change_post"))
            #expect(try await !checker.hasPermission(w.bob, "blog.change_post"))
            try await store.grant(change.id, toUser: w.bob.id)
            #expect(try await checker.hasPermission(w.bob, "blog.change_post"))
            _ = try await store.deleteGroup(id: editors.id)
            _ = try await store.revoke(change.id, fromUser: w.bob.id)
            #expect(try await !checker.hasPermission(w.bob, "blog.change_post"))
        },
    ]

    /// Every check, once with a plain checker and once through the cache.
    public static let cases: [Case] = checks.flatMap { name, body in
        [Case(name: name, cached: false, body: body), Case(name: "\(name) (cached)", cached: true, body: body)]
    }
}
