import Foundation
import Gatehouse
import Testing

@Suite("Permission checks with Django's semantics")
struct PermissionCheckerTests {
    struct World {
        let store: MemoryAuthStore
        let checker: PermissionChecker
        let alice: User
        let bob: User
        let root: User
    }

    static func world() async throws -> World {
        let store = MemoryAuthStore()
        let post = try await store.insertContentType(appLabel: "blog", model: "post")
        let report = try await store.insertContentType(appLabel: "reports", model: "report")
        let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
        let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
        _ = try await store.insertPermission(name: "Can view report", codename: "view_report", contentTypeID: report.id)
        let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: Date()))
        let bob = try await store.insertUser(NewUser(username: "bob", password: "!", dateJoined: Date()))
        let root = try await store.insertUser(NewUser(username: "root", password: "!", isSuperuser: true, dateJoined: Date()))
        let editors = try await store.insertGroup(name: "editors")
        try await store.grant(view.id, toUser: alice.id)
        try await store.grant(change.id, toGroup: editors.id)
        try await store.addUser(bob.id, toGroup: editors.id)
        return World(store: store, checker: PermissionChecker(backends: [ModelPermissionBackend(store: store)]), alice: alice, bob: bob, root: root)
    }

    @Test func ownAndGroupGrantsAndSuperusers() async throws {
        let w = try await Self.world()
        #expect(try await w.checker.hasPermission(w.alice, "blog.view_post"))
        #expect(try await !w.checker.hasPermission(w.alice, "blog.change_post"))
        #expect(try await w.checker.hasPermission(w.bob, "blog.change_post"))
        #expect(try await !w.checker.hasPermission(w.bob, "blog.view_post"))
        #expect(try await w.checker.hasPermission(w.root, "anything.at_all"))
        #expect(try await w.checker.allPermissions(of: w.root) == ["blog.view_post", "blog.change_post", "reports.view_report"])
        #expect(try await w.checker.hasPermissions(w.alice, []))
        #expect(try await !w.checker.hasPermissions(w.alice, ["blog.view_post", "blog.change_post"]))
        #expect(try await w.checker.hasAnyPermission(w.alice, ["blog.view_post", "blog.change_post"]))
        #expect(try await w.checker.hasModulePermissions(w.alice, appLabel: "blog"))
        #expect(try await !w.checker.hasModulePermissions(w.alice, appLabel: "reports"))
        #expect(try await !w.checker.hasModulePermissions(w.alice, appLabel: "blo"), "a prefix of an app label is not the app")
    }

    @Test func inactiveAndAnonymousUsersHaveNothing() async throws {
        let w = try await Self.world()
        var root = w.root
        root.isActive = false
        var alice = w.alice
        alice.isActive = false
        #expect(try await !w.checker.hasPermission(root, "blog.view_post"), "an inactive superuser has nothing")
        #expect(try await !w.checker.hasPermission(alice, "blog.view_post"))
        #expect(try await w.checker.allPermissions(of: alice).isEmpty)
        #expect(try await !w.checker.hasPermission(AnonymousUser(), "blog.view_post"))
        #expect(try await !w.checker.hasModulePermissions(AnonymousUser(), appLabel: "blog"))
    }

    @Test func objectQuestionsGetNothingFromTheModelBackend() async throws {
        let w = try await Self.world()
        let post = PermissionTarget(appLabel: "blog", model: "post", objectID: "1")
        #expect(try await !w.checker.hasPermission(w.alice, "blog.view_post", on: post))
        #expect(try await w.checker.hasPermission(w.root, "blog.view_post", on: post), "superusers pass object checks too")
    }

    @Test func backendsAreAskedInOrderAndARefusalStopsTheChain() async throws {
        let w = try await Self.world()
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
        let refusedFirst = PermissionChecker(backends: [Refuser(), ModelPermissionBackend(store: w.store)])
        #expect(try await !refusedFirst.hasPermission(w.alice, "blog.view_post"))
        #expect(try await !refusedFirst.hasModulePermissions(w.alice, appLabel: "blog"))
        let grantedFirst = PermissionChecker(backends: [ModelPermissionBackend(store: w.store), Refuser()])
        #expect(try await grantedFirst.hasPermission(w.alice, "blog.view_post"), "an earlier grant wins")
        let anonymous = PermissionChecker(backends: [ModelPermissionBackend(store: w.store), AnonymousReaders()])
        #expect(try await anonymous.hasPermission(AnonymousUser(), "blog.view_post"), "a backend may grant anonymous users")
        #expect(try await !anonymous.hasPermission(AnonymousUser(), "blog.change_post"))
    }
}
