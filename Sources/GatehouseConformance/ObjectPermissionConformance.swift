public import Gatehouse
import Foundation
public import Testing

/// The cases every ``ObjectPermissionStore`` implementation must pass, with model registration
/// (``ModelRegistration``) on the same store: memory, SQLite and PostgreSQL run the same list.
///
/// ```swift
/// @Test(arguments: ObjectPermissionConformance.cases)
/// func conformance(_ check: ObjectPermissionConformance.Case) async throws {
///     let store = MemoryAuthStore()
///     try await check.run(on: store, objects: MemoryObjectPermissionStore(authStore: store))
/// }
/// ```
public enum ObjectPermissionConformance {
    /// One named check, run on a fresh, empty store.
    public struct Case: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the case checks.
        public let name: String
        let body: @Sendable (any AuthStore, any ObjectPermissionStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any AuthStore, any ObjectPermissionStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the case on `store` and the object grants kept beside it in `objects`; both must be empty.
        ///
        /// ```swift
        /// let store = MemoryAuthStore()
        /// try await check.run(on: store, objects: MemoryObjectPermissionStore(authStore: store))
        /// ```
        public func run(on store: any AuthStore, objects: any ObjectPermissionStore) async throws {
            try await body(store, objects)
        }

        /// Runs the case on a store that keeps the object grants itself, such as `SQLAuthStore`.
        ///
        /// ```swift
        /// try await check.run(on: SQLAuthStore(provider: provider))
        /// ```
        public func run(on store: any AuthStore & ObjectPermissionStore) async throws {
            try await body(store, store)
        }

        /// The case's name.
        public var description: String { name }
        /// The case's name, as Swift Testing shows it.
        public var testDescription: String { name }
    }

    static func draft(_ username: String, isActive: Bool = true, isSuperuser: Bool = false) -> NewUser {
        NewUser(
            username: username, password: "pbkdf2_sha256$1000$salt$hash=", isSuperuser: isSuperuser, isActive: isActive,
            dateJoined: Date(timeIntervalSince1970: 1_700_000_000)
        )
    }

    struct World {
        let alice: User
        let bob: User
        let editors: Group
        let post: ContentType
        let comment: ContentType
        let view: Permission
        let change: Permission
        let viewComment: Permission

        func postObject(_ id: String) -> ObjectReference { ObjectReference(contentTypeID: post.id, objectID: id) }
    }

    static func world(_ store: any AuthStore) async throws -> World {
        let post = try await store.insertContentType(appLabel: "blog", model: "post")
        let comment = try await store.insertContentType(appLabel: "blog", model: "comment")
        return World(
            alice: try await store.insertUser(draft("alice")),
            bob: try await store.insertUser(draft("bob")),
            editors: try await store.insertGroup(name: "editors"),
            post: post,
            comment: comment,
            view: try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id),
            change: try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id),
            viewComment: try await store.insertPermission(name: "Can view comment", codename: "view_comment", contentTypeID: comment.id)
        )
    }

    /// Every case.
    public static let cases: [Case] = [
        Case("object grants to users: idempotent, per object, revocable") { store, objects in
            let w = try await world(store)
            try await objects.grant(w.change.id, toUser: w.alice.id, on: w.postObject("1"))
            try await objects.grant(w.change.id, toUser: w.alice.id, on: w.postObject("1"))
            try await objects.grant(w.view.id, toUser: w.alice.id, on: w.postObject("1"))
            try await objects.grant(w.change.id, toUser: w.alice.id, on: w.postObject("2"))
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("1")).map(\.key) == ["blog.change_post", "blog.view_post"])
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("2")).map(\.key) == ["blog.change_post"])
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("3")).isEmpty)
            #expect(try await objects.objectPermissions(userID: w.bob.id, on: w.postObject("1")).isEmpty)
            #expect(try await store.userPermissions(userID: w.alice.id).isEmpty, "object grants are not global grants")
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.change.id, contentType: w.post.id) == ["1", "2"])
            #expect(try await objects.revoke(w.change.id, fromUser: w.alice.id, on: w.postObject("1")))
            #expect(try await !objects.revoke(w.change.id, fromUser: w.alice.id, on: w.postObject("1")))
            #expect(try await !objects.revoke(w.change.id, fromUser: w.bob.id, on: w.postObject("2")))
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.change.id, contentType: w.post.id) == ["2"])
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("1")).map(\.key) == ["blog.view_post"])
        },
        Case("object grants to groups reach their members only while they are members") { store, objects in
            let w = try await world(store)
            try await objects.grant(w.change.id, toGroup: w.editors.id, on: w.postObject("7"))
            try await objects.grant(w.change.id, toGroup: w.editors.id, on: w.postObject("7"))
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.change.id, contentType: w.post.id).isEmpty)
            try await store.addUser(w.alice.id, toGroup: w.editors.id)
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.change.id, contentType: w.post.id) == ["7"])
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("7")).map(\.key) == ["blog.change_post"])
            #expect(try await store.permissionsThroughGroups(userID: w.alice.id).isEmpty)
            try await store.removeUser(w.alice.id, fromGroup: w.editors.id)
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.change.id, contentType: w.post.id).isEmpty)
            try await store.addUser(w.alice.id, toGroup: w.editors.id)
            #expect(try await objects.revoke(w.change.id, fromGroup: w.editors.id, on: w.postObject("7")))
            #expect(try await !objects.revoke(w.change.id, fromGroup: w.editors.id, on: w.postObject("7")))
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("7")).isEmpty)
        },
        Case("objectIDs unions own and group grants without repeats, per permission and content type") { store, objects in
            let w = try await world(store)
            let readers = try await store.insertGroup(name: "readers")
            try await store.addUser(w.alice.id, toGroup: w.editors.id)
            try await store.addUser(w.alice.id, toGroup: readers.id)
            try await store.addUser(w.bob.id, toGroup: readers.id)
            try await objects.grant(w.view.id, toUser: w.alice.id, on: w.postObject("10"))
            try await objects.grant(w.view.id, toGroup: w.editors.id, on: w.postObject("10"))
            try await objects.grant(w.view.id, toGroup: readers.id, on: w.postObject("10"))
            try await objects.grant(w.view.id, toGroup: w.editors.id, on: w.postObject("11"))
            try await objects.grant(w.view.id, toGroup: readers.id, on: w.postObject("9"))
            try await objects.grant(w.change.id, toUser: w.alice.id, on: w.postObject("12"))
            try await objects.grant(w.viewComment.id, toUser: w.alice.id, on: ObjectReference(contentTypeID: w.comment.id, objectID: "10"))
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.view.id, contentType: w.post.id) == ["10", "11", "9"])
            #expect(try await objects.objectIDs(userID: w.bob.id, permission: w.view.id, contentType: w.post.id) == ["10", "9"])
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.change.id, contentType: w.post.id) == ["12"])
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.viewComment.id, contentType: w.comment.id) == ["10"])
            #expect(try await objects.objectIDs(userID: w.alice.id, permission: w.view.id, contentType: w.comment.id).isEmpty)
            #expect(try await objects.objectIDs(userID: w.alice.id + 999, permission: w.view.id, contentType: w.post.id).isEmpty)
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("10")).map(\.key) == ["blog.view_post"])
        },
        Case("the grants of an object are listed users first, then groups") { store, objects in
            let w = try await world(store)
            try await objects.grant(w.view.id, toGroup: w.editors.id, on: w.postObject("5"))
            try await objects.grant(w.view.id, toUser: w.bob.id, on: w.postObject("5"))
            try await objects.grant(w.view.id, toUser: w.alice.id, on: w.postObject("5"))
            try await objects.grant(w.change.id, toUser: w.alice.id, on: w.postObject("5"))
            try await objects.grant(w.change.id, toUser: w.alice.id, on: w.postObject("6"))
            let grants = try await objects.objectPermissionGrants(on: w.postObject("5"))
            #expect(grants.map(\.holder) == [.user(w.alice.id), .user(w.alice.id), .user(w.bob.id), .group(w.editors.id)])
            #expect(grants.map(\.permission.codename) == ["change_post", "view_post", "view_post", "view_post"])
            #expect(grants.allSatisfy { $0.object == w.postObject("5") })
            #expect(grants.first?.permission == w.change)
            #expect(try await objects.objectPermissionGrants(on: w.postObject("404")).isEmpty)
        },
        Case("object ids are text up to 255 characters, compared exactly") { store, objects in
            let w = try await world(store)
            let long = String(repeating: "é", count: 255)
            let odd = "a'b; DROP TABLE auth_user; --"
            for id in [long, odd, "0042", "42", "Ünïcode 🦄"] {
                try await objects.grant(w.view.id, toUser: w.alice.id, on: w.postObject(id))
            }
            #expect(try await Set(objects.objectIDs(userID: w.alice.id, permission: w.view.id, contentType: w.post.id)) == [long, odd, "0042", "42", "Ünïcode 🦄"])
            #expect(try await objects.objectPermissions(userID: w.alice.id, on: w.postObject("042")).isEmpty)
            await #expect(throws: ObjectPermissionError.invalidObjectID) {
                try await objects.grant(w.view.id, toUser: w.alice.id, on: w.postObject(long + "x"))
            }
            await #expect(throws: ObjectPermissionError.invalidObjectID) {
                try await objects.grant(w.view.id, toGroup: w.editors.id, on: w.postObject(""))
            }
        },
        Case("object grants check their references and the permission's content type") { store, objects in
            let w = try await world(store)
            await #expect(throws: StoreError.invalidReference("permission")) {
                try await objects.grant(w.change.id + 999, toUser: w.alice.id, on: w.postObject("1"))
            }
            await #expect(throws: StoreError.invalidReference("user")) {
                try await objects.grant(w.change.id, toUser: w.alice.id + 999, on: w.postObject("1"))
            }
            await #expect(throws: StoreError.invalidReference("group")) {
                try await objects.grant(w.change.id, toGroup: w.editors.id + 999, on: w.postObject("1"))
            }
            await #expect(throws: StoreError.invalidReference("content type")) {
                try await objects.grant(w.change.id, toUser: w.alice.id, on: ObjectReference(contentTypeID: w.comment.id + 999, objectID: "1"))
            }
            await #expect(throws: ObjectPermissionError.contentTypeMismatch) {
                try await objects.grant(w.change.id, toUser: w.alice.id, on: ObjectReference(contentTypeID: w.comment.id, objectID: "1"))
            }
            await #expect(throws: ObjectPermissionError.contentTypeMismatch) {
                try await objects.grant(w.change.id, toGroup: w.editors.id, on: ObjectReference(contentTypeID: w.comment.id, objectID: "1"))
            }
            #expect(try await objects.objectPermissionGrants(on: ObjectReference(contentTypeID: w.comment.id, objectID: "1")).isEmpty)
        },
        Case("deleting a user, group, permission or content type deletes its object grants") { store, objects in
            let w = try await world(store)
            try await store.addUser(w.bob.id, toGroup: w.editors.id)
            try await objects.grant(w.view.id, toUser: w.alice.id, on: w.postObject("1"))
            try await objects.grant(w.view.id, toUser: w.bob.id, on: w.postObject("1"))
            try await objects.grant(w.change.id, toUser: w.bob.id, on: w.postObject("1"))
            try await objects.grant(w.change.id, toGroup: w.editors.id, on: w.postObject("2"))
            try await objects.grant(w.viewComment.id, toUser: w.bob.id, on: ObjectReference(contentTypeID: w.comment.id, objectID: "1"))
            #expect(try await store.deleteUser(id: w.alice.id))
            #expect(try await objects.objectPermissionGrants(on: w.postObject("1")).map(\.holder) == [.user(w.bob.id), .user(w.bob.id)])
            #expect(try await objects.objectIDs(userID: w.bob.id, permission: w.change.id, contentType: w.post.id) == ["1", "2"])
            #expect(try await store.deleteGroup(id: w.editors.id))
            #expect(try await objects.objectPermissionGrants(on: w.postObject("2")).isEmpty)
            #expect(try await objects.objectIDs(userID: w.bob.id, permission: w.change.id, contentType: w.post.id) == ["1"])
            #expect(try await store.deletePermission(id: w.change.id))
            #expect(try await objects.objectPermissions(userID: w.bob.id, on: w.postObject("1")).map(\.key) == ["blog.view_post"])
            #expect(try await store.deleteContentType(id: w.post.id))
            #expect(try await objects.objectPermissionGrants(on: w.postObject("1")).isEmpty)
            #expect(try await objects.objectIDs(userID: w.bob.id, permission: w.view.id, contentType: w.post.id).isEmpty)
            #expect(try await objects.objectIDs(userID: w.bob.id, permission: w.viewComment.id, contentType: w.comment.id) == ["1"])
            // The ids stay free: a new user with a new id starts without grants.
            let again = try await store.insertUser(draft("alice"))
            #expect(try await objects.objectPermissions(userID: again.id, on: ObjectReference(contentTypeID: w.comment.id, objectID: "1")).isEmpty)
        },
        Case("the object backend answers object questions only, for active users") { store, objects in
            let w = try await world(store)
            let carol = try await store.insertUser(draft("carol", isActive: false))
            let root = try await store.insertUser(draft("root", isSuperuser: true))
            try await store.addUser(w.bob.id, toGroup: w.editors.id)
            try await objects.grant(w.change.id, toUser: w.alice.id, on: w.postObject("1"))
            try await objects.grant(w.view.id, toGroup: w.editors.id, on: w.postObject("1"))
            try await objects.grant(w.change.id, toUser: carol.id, on: w.postObject("1"))
            try await store.grant(w.view.id, toUser: w.alice.id)
            let backend = ObjectPermissionBackend(store: store, objects: objects)
            let checker = PermissionChecker(backends: [ModelPermissionBackend(store: store), backend])
            let one = PermissionTarget(appLabel: "blog", model: "post", objectID: "1")
            let two = PermissionTarget(appLabel: "blog", model: "post", objectID: "2")
            #expect(try await checker.hasPermission(w.alice, "blog.change_post", on: one))
            #expect(try await !checker.hasPermission(w.alice, "blog.change_post", on: two))
            #expect(try await !checker.hasPermission(w.alice, "blog.change_post"), "object grants are not global")
            #expect(try await !checker.hasPermission(w.alice, "blog.view_post", on: one), "global grants do not answer object questions, as Django")
            #expect(try await checker.hasPermission(w.bob, "blog.view_post", on: one))
            #expect(try await !checker.hasPermission(carol, "blog.change_post", on: one), "inactive users hold nothing")
            #expect(try await backend.permissions(of: w.alice, on: nil).isEmpty)
            #expect(try await backend.permissions(of: w.alice, on: one) == ["blog.change_post"])
            #expect(try await backend.permissions(of: carol, on: one).isEmpty)
            #expect(try await backend.permissions(of: AnonymousUser(), on: one).isEmpty)
            #expect(try await backend.permissions(of: root, on: one) == ["blog.change_post", "blog.view_post"])
            #expect(try await backend.permissions(of: w.alice, on: PermissionTarget(appLabel: "blog", model: "nothing", objectID: "1")).isEmpty)
            #expect(try await !backend.hasModulePermissions(w.alice, appLabel: "blog"))
            #expect(try await checker.allPermissions(of: w.bob, on: one) == ["blog.view_post"])
        },
        Case("registering a model creates Django's default permissions once") { store, _ in
            let registration = ModelRegistration(store: store)
            let first = try await registration.register(appLabel: "blog", model: "BlogPost")
            #expect(first.createdContentType)
            #expect(first.contentType.appLabel == "blog" && first.contentType.model == "blogpost")
            #expect(first.createdPermissions.map(\.codename) == ["add_blogpost", "change_blogpost", "delete_blogpost", "view_blogpost"])
            #expect(first.createdPermissions.map(\.name) == ["Can add blog post", "Can change blog post", "Can delete blog post", "Can view blog post"])
            let again = try await registration.register(appLabel: "blog", model: "BlogPost")
            #expect(again.isUnchanged)
            #expect(again.contentType == first.contentType)
            #expect(try await store.permissions().count == 4)
            #expect(try await store.contentTypes().count == 1)
        },
        Case("registering a model with a verbose name, custom and fewer default permissions") { store, _ in
            let registration = ModelRegistration(store: store)
            let existing = try await store.insertContentType(appLabel: "shop", model: "order")
            let manual = try await store.insertPermission(name: "Manual name", codename: "view_order", contentTypeID: existing.id)
            let result = try await registration.register(
                appLabel: "shop", model: "order", verboseName: "purchase order",
                customPermissions: [("refund_order", "Can refund orders")], defaultPermissions: [.add, .view]
            )
            #expect(!result.createdContentType && result.contentType == existing)
            #expect(result.createdPermissions.map(\.codename) == ["add_order", "refund_order"])
            #expect(result.createdPermissions.map(\.name) == ["Can add purchase order", "Can refund orders"])
            #expect(try await store.permission(id: manual.id)?.name == "Manual name", "existing names are kept, as in Django")
            let again = try await registration.register(
                appLabel: "shop", model: "order", verboseName: "purchase order",
                customPermissions: [("refund_order", "Can refund orders")], defaultPermissions: [.add, .view]
            )
            #expect(again.isUnchanged)
            #expect(try await store.permissions().map(\.codename) == ["add_order", "refund_order", "view_order"])
            await #expect(throws: ValidationError.self) {
                try await registration.register(appLabel: "shop", model: "order", customPermissions: [("", "nameless")])
            }
            await #expect(throws: ValidationError.self) {
                try await registration.register(appLabel: "shop", model: String(repeating: "m", count: 101))
            }
        },
    ]
}
