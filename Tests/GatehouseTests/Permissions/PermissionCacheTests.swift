import Foundation
import Gatehouse
import Synchronization
import Testing

@Suite("Permission cache: remembered across requests, never stale")
struct PermissionCacheTests {
    /// A backend that counts how often it is really asked.
    final class Counting: PermissionBackend {
        let base: any PermissionBackend
        let calls = Mutex(0)
        init(_ base: any PermissionBackend) { self.base = base }
        func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> {
            calls.withLock { $0 += 1 }
            return try await base.permissions(of: account, on: target)
        }
        var count: Int { calls.withLock { $0 } }
    }

    struct World {
        let store: MemoryAuthStore
        let objects: MemoryObjectPermissionStore
        let model: Counting
        let object: Counting
        let checker: PermissionChecker
        let cache: PermissionCache
        let alice: User
        let view: Permission
        let change: Permission
        let editors: Group
        let post: ContentType
    }

    static func world(maximumEntries: Int = 100) async throws -> World {
        let store = MemoryAuthStore()
        let objects = MemoryObjectPermissionStore(authStore: store)
        let post = try await store.insertContentType(appLabel: "blog", model: "post")
        let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
        let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
        let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: Date()))
        let editors = try await store.insertGroup(name: "editors")
        try await store.grant(view.id, toUser: alice.id)
        let cache = PermissionCache(configuration: PermissionCacheConfiguration(maximumEntries: maximumEntries))
        let model = Counting(ModelPermissionBackend(store: store))
        let object = Counting(ObjectPermissionBackend(store: store, objects: objects))
        let checker = PermissionChecker(backends: [
            CachedPermissionBackend(model, cache: cache, versions: store.permissionVersion, identifier: "model"),
            CachedPermissionBackend(object, cache: cache, versions: objects.permissionVersion, identifier: "object"),
        ])
        return World(
            store: store, objects: objects, model: model, object: object, checker: checker, cache: cache, alice: alice,
            view: view, change: change, editors: editors, post: post
        )
    }

    @Test func versionsOnlyMoveForward() {
        let versions = PermissionVersion(5)
        versions.observe(3)
        #expect(versions.current == 5, "an older read never moves it back")
        versions.observe(9)
        #expect(versions.current == 9)
        versions.advance()
        #expect(versions.current == 10)
    }

    @Test func aWarmCheckDoesNotAskTheBackend() async throws {
        let w = try await Self.world()
        #expect(try await w.checker.hasPermission(w.alice, "blog.view_post"))
        let cold = w.model.count
        #expect(cold == 1)
        for _ in 0..<50 {
            #expect(try await w.checker.hasPermission(w.alice, "blog.view_post"))
            #expect(try await !w.checker.hasPermission(w.alice, "blog.change_post"))
            #expect(try await w.checker.hasModulePermissions(w.alice, appLabel: "blog"))
        }
        #expect(w.model.count == cold, "warm checks are answered from the cache")
        #expect(w.cache.statistics.hits > 100)
    }

    @Test func everyKindOfChangeShowsOnTheNextCheck() async throws {
        let w = try await Self.world()
        let checker = w.checker
        let alice = w.alice
        #expect(try await checker.hasPermission(alice, "blog.view_post"))
        // Revoke a user grant.
        _ = await w.store.revoke(w.view.id, fromUser: alice.id)
        #expect(try await !checker.hasPermission(alice, "blog.view_post"))
        // A group's permission, then membership of the group.
        try await w.store.grant(w.change.id, toGroup: w.editors.id)
        #expect(try await !checker.hasPermission(alice, "blog.change_post"))
        try await w.store.addUser(alice.id, toGroup: w.editors.id)
        #expect(try await checker.hasPermission(alice, "blog.change_post"))
        _ = await w.store.revoke(w.change.id, fromGroup: w.editors.id)
        #expect(try await !checker.hasPermission(alice, "blog.change_post"))
        try await w.store.grant(w.change.id, toGroup: w.editors.id)
        #expect(try await checker.hasPermission(alice, "blog.change_post"))
        _ = await w.store.removeUser(alice.id, fromGroup: w.editors.id)
        #expect(try await !checker.hasPermission(alice, "blog.change_post"))
        try await w.store.addUser(alice.id, toGroup: w.editors.id)
        #expect(try await checker.hasPermission(alice, "blog.change_post"))
        _ = await w.store.deleteGroup(id: w.editors.id)
        #expect(try await !checker.hasPermission(alice, "blog.change_post"))
        // is_superuser and is_active are part of the key: the fresh user row decides.
        var root = alice
        root.isSuperuser = true
        #expect(try await checker.allPermissions(of: root) == ["blog.view_post", "blog.change_post"])
        var inactive = root
        inactive.isActive = false
        #expect(try await checker.allPermissions(of: inactive).isEmpty)
        #expect(try await !checker.hasPermission(inactive, "blog.view_post"))
        // Object grants.
        let post7 = PermissionTarget(appLabel: "blog", model: "post", objectID: "7")
        #expect(try await !checker.hasPermission(alice, "blog.change_post", on: post7))
        let reference = ObjectReference(contentTypeID: w.post.id, objectID: "7")
        try await w.objects.grant(w.change.id, toUser: alice.id, on: reference)
        #expect(try await checker.hasPermission(alice, "blog.change_post", on: post7))
        #expect(try await !checker.hasPermission(alice, "blog.change_post", on: PermissionTarget(appLabel: "blog", model: "post", objectID: "8")))
        _ = try await w.objects.revoke(w.change.id, fromUser: alice.id, on: reference)
        #expect(try await !checker.hasPermission(alice, "blog.change_post", on: post7))
        // A deleted permission.
        try await w.store.grant(w.view.id, toUser: alice.id)
        #expect(try await checker.hasPermission(alice, "blog.view_post"))
        _ = await w.store.deletePermission(id: w.view.id)
        #expect(try await !checker.hasPermission(alice, "blog.view_post"))
    }

    @Test func aChangeWhileComputingIsNotHiddenByTheCache() async throws {
        // The version is read before computing; an entry computed across a change stays older than
        // the data and is recomputed on its next use.
        let versions = PermissionVersion()
        let cache = PermissionCache()
        let key = PermissionCache.Key(backend: "b", userID: 1, isActive: true, isSuperuser: false, target: nil)
        let before = versions.current
        versions.advance()  // the change lands while the old answer is computed
        cache.store(["stale.perm"], for: key, at: before)
        #expect(cache.permissions(for: key, at: versions.current) == nil)
        cache.store(["fresh.perm"], for: key, at: versions.current)
        cache.store(["stale.perm"], for: key, at: before)
        #expect(cache.permissions(for: key, at: versions.current) == ["fresh.perm"], "an older answer never replaces a newer one")
    }

    @Test func anonymousUsersAreNotCached() async throws {
        let w = try await Self.world()
        for _ in 0..<3 { #expect(try await !w.checker.hasPermission(AnonymousUser(), "blog.view_post")) }
        #expect(w.model.count == 3)
        #expect(w.cache.count == 0)
    }

    @Test func theCacheHasASizeLimit() async throws {
        let w = try await Self.world(maximumEntries: 50)
        for id in 0..<500 {
            var user = w.alice
            user.id = Int64(1_000 + id)
            _ = try await w.checker.hasPermission(user, "blog.view_post")
            #expect(w.cache.count <= 50)
        }
        // The most recently used entries survive an eviction.
        #expect(w.cache.count >= 40)
        let asked = w.model.count
        var recent = w.alice
        recent.id = 1_499
        _ = try await w.checker.hasPermission(recent, "blog.view_post")
        #expect(w.model.count == asked)
    }
}
