public import Gatehouse
import Foundation
public import Testing

/// The cases every ``AuthStore`` implementation must pass: memory, SQLite and PostgreSQL run the
/// same list.
///
/// ```swift
/// @Test(arguments: AuthStoreConformance.cases)
/// func conformance(_ check: AuthStoreConformance.Case) async throws {
///     try await check.run(on: MemoryAuthStore())
/// }
/// ```
public enum AuthStoreConformance {
    /// One named check, run on a fresh, empty store.
    public struct Case: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the case checks.
        public let name: String
        let body: @Sendable (any AuthStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any AuthStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the case on `store`, which must be empty.
        public func run(on store: any AuthStore) async throws {
            try await body(store)
        }

        /// The case's name.
        public var description: String { name }
        /// The case's name, as Swift Testing shows it.
        public var testDescription: String { name }
    }

    static let joined = Date(timeIntervalSince1970: 1_700_000_000.123456)

    static func draft(_ username: String, email: String = "") -> NewUser {
        NewUser(username: username, password: "pbkdf2_sha256$1000$salt$hash=", email: email, dateJoined: joined)
    }

    /// Every case.
    public static let cases: [Case] = [
        Case("insert and look up a user by id and by username") { store in
            let alice = try await store.insertUser(
                NewUser(
                    username: "alice", password: "pbkdf2_sha256$1000$salt$hash=", email: "alice@example.com",
                    firstName: "Alice", lastName: "Liddell", isStaff: true, isSuperuser: false, isActive: true,
                    dateJoined: joined, lastLogin: nil
                )
            )
            #expect(alice.id > 0)
            let byID = try #require(try await store.user(id: alice.id))
            #expect(byID == alice)
            #expect(byID.firstName == "Alice")
            #expect(byID.lastName == "Liddell")
            #expect(byID.isStaff)
            #expect(byID.lastLogin == nil)
            #expect(abs(byID.dateJoined.timeIntervalSince(joined)) < 0.000_001)
            #expect(try await store.user(username: "alice") == alice)
            #expect(try await store.user(username: "Alice") == nil, "usernames are case-sensitive, as in Django")
            #expect(try await store.user(id: alice.id + 1000) == nil)
        },
        Case("usernames are stored and compared in NFKC form") { store in
            let decomposed = "Jose\u{0301}"
            let saved = try await store.insertUser(draft(decomposed))
            #expect(saved.username == "Jos\u{00E9}")
            #expect(try await store.user(username: "Jos\u{00E9}")?.id == saved.id)
            #expect(try await store.user(username: decomposed)?.id == saved.id)
            await #expect(throws: StoreError.duplicate("username")) {
                try await store.insertUser(draft("Jos\u{00E9}"))
            }
            let wide = try await store.insertUser(draft("\u{FF42}ob"))
            #expect(wide.username == "bob")
            #expect(try await store.user(username: "bob")?.id == wide.id)
        },
        Case("a duplicate username is a typed error and writes nothing") { store in
            _ = try await store.insertUser(draft("carol"))
            await #expect(throws: StoreError.duplicate("username")) {
                try await store.insertUser(draft("carol"))
            }
            #expect(try await store.allUsers().count == 1)
        },
        Case("update saves every field and keeps usernames unique") { store in
            var dave = try await store.insertUser(draft("dave"))
            let erin = try await store.insertUser(draft("erin"))
            dave.email = "dave@example.org"
            dave.firstName = "Dave"
            dave.lastName = "Null"
            dave.isActive = false
            dave.isStaff = true
            dave.isSuperuser = true
            dave.password = "!unusable"
            dave.lastLogin = Date(timeIntervalSince1970: 1_800_000_000.5)
            try await store.updateUser(dave)
            let reloaded = try #require(try await store.user(id: dave.id))
            #expect(reloaded.email == "dave@example.org")
            #expect(reloaded.firstName == "Dave" && reloaded.lastName == "Null")
            #expect(!reloaded.isActive && reloaded.isStaff && reloaded.isSuperuser)
            #expect(reloaded.password == "!unusable")
            #expect(abs((reloaded.lastLogin ?? .distantPast).timeIntervalSince1970 - 1_800_000_000.5) < 0.000_001)
            var clash = erin
            clash.username = "dave"
            await #expect(throws: StoreError.duplicate("username")) { try await store.updateUser(clash) }
            #expect(try await store.user(id: erin.id)?.username == "erin")
            var ghost = erin
            ghost.id = erin.id + 999
            ghost.username = "ghost"
            await #expect(throws: StoreError.notFound("user")) { try await store.updateUser(ghost) }
        },
        Case("password reset candidates: active users whose email matches ignoring ASCII case, by id") { store in
            let upper = try await store.insertUser(draft("reset1", email: "Reset@Example.com"))
            let lower = try await store.insertUser(draft("reset2", email: "reset@example.com"))
            var inactive = try await store.insertUser(draft("reset3", email: "reset@example.com"))
            inactive.isActive = false
            try await store.updateUser(inactive)
            _ = try await store.insertUser(draft("other", email: "reset@example.org"))
            _ = try await store.insertUser(draft("nobody"))
            #expect(try await store.users(emailMatching: "RESET@example.COM").map(\.id) == [upper.id, lower.id])
            #expect(try await store.users(emailMatching: "reset@example.co").isEmpty)
            #expect(try await store.users(emailMatching: "%@example.com").isEmpty, "no pattern matching")
        },
        Case("users are listed by id with offset and limit") { store in
            var ids: [Int64] = []
            for name in ["u3", "u1", "u2", "u5", "u4"] {
                ids.append(try await store.insertUser(draft(name)).id)
            }
            #expect(try await store.allUsers().map(\.id) == ids.sorted())
            #expect(try await store.users(offset: 1, limit: 2).map(\.id) == Array(ids.sorted()[1...2]))
            #expect(try await store.users(offset: 10, limit: 2).isEmpty)
        },
        Case("groups: insert, look up, rename, unique names") { store in
            let editors = try await store.insertGroup(name: "editors")
            #expect(try await store.group(id: editors.id) == editors)
            #expect(try await store.group(name: "editors") == editors)
            await #expect(throws: StoreError.duplicate("name")) { try await store.insertGroup(name: "editors") }
            let admins = try await store.insertGroup(name: "admins")
            #expect(try await store.groups().map(\.name) == ["admins", "editors"])
            var renamed = editors
            renamed.name = "writers"
            try await store.updateGroup(renamed)
            #expect(try await store.group(name: "writers")?.id == editors.id)
            #expect(try await store.group(name: "editors") == nil)
            var clash = renamed
            clash.name = "admins"
            await #expect(throws: StoreError.duplicate("name")) { try await store.updateGroup(clash) }
            #expect(try await store.group(id: admins.id)?.name == "admins")
        },
        Case("memberships: add is idempotent, remove reports, both directions list") { store in
            let alice = try await store.insertUser(draft("alice"))
            let bob = try await store.insertUser(draft("bob"))
            let editors = try await store.insertGroup(name: "editors")
            let readers = try await store.insertGroup(name: "readers")
            try await store.addUser(alice.id, toGroup: editors.id)
            try await store.addUser(alice.id, toGroup: editors.id)
            try await store.addUser(alice.id, toGroup: readers.id)
            try await store.addUser(bob.id, toGroup: readers.id)
            #expect(try await store.groups(ofUser: alice.id).map(\.name) == ["editors", "readers"])
            #expect(try await store.users(inGroup: readers.id).map(\.username) == ["alice", "bob"])
            #expect(try await store.users(inGroup: editors.id).map(\.username) == ["alice"])
            #expect(try await store.removeUser(alice.id, fromGroup: editors.id))
            #expect(try await !store.removeUser(alice.id, fromGroup: editors.id))
            #expect(try await store.groups(ofUser: alice.id).map(\.name) == ["readers"])
            await #expect(throws: StoreError.invalidReference("group")) {
                try await store.addUser(alice.id, toGroup: readers.id + 999)
            }
            await #expect(throws: StoreError.invalidReference("user")) {
                try await store.addUser(bob.id + 999, toGroup: readers.id)
            }
        },
        Case("content types and permissions: unique pairs and references") { store in
            let post = try await store.insertContentType(appLabel: "blog", model: "post")
            #expect(try await store.contentType(id: post.id) == post)
            #expect(try await store.contentType(appLabel: "blog", model: "post") == post)
            await #expect(throws: StoreError.duplicate("app_label, model")) {
                try await store.insertContentType(appLabel: "blog", model: "post")
            }
            let comment = try await store.insertContentType(appLabel: "blog", model: "comment")
            let article = try await store.insertContentType(appLabel: "news", model: "article")
            #expect(try await store.contentTypes().map(\.model) == ["comment", "post", "article"])
            let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
            #expect(view.key == "blog.view_post")
            #expect(view.contentType == post)
            #expect(try await store.permission(id: view.id) == view)
            #expect(try await store.permission(appLabel: "blog", codename: "view_post") == view)
            #expect(try await store.permission(appLabel: "news", codename: "view_post") == nil)
            await #expect(throws: StoreError.duplicate("content_type, codename")) {
                try await store.insertPermission(name: "again", codename: "view_post", contentTypeID: post.id)
            }
            _ = try await store.insertPermission(name: "Can view comment", codename: "view_comment", contentTypeID: comment.id)
            _ = try await store.insertPermission(name: "Can add article", codename: "add_article", contentTypeID: article.id)
            _ = try await store.insertPermission(name: "Can add post", codename: "add_post", contentTypeID: post.id)
            await #expect(throws: StoreError.invalidReference("content type")) {
                try await store.insertPermission(name: "x", codename: "x", contentTypeID: article.id + 999)
            }
            #expect(
                try await store.permissions().map(\.key)
                    == ["blog.view_comment", "blog.add_post", "blog.view_post", "news.add_article"]
            )
        },
        Case("grants to users and groups, idempotent, revocable") { store in
            let alice = try await store.insertUser(draft("alice"))
            let editors = try await store.insertGroup(name: "editors")
            let post = try await store.insertContentType(appLabel: "blog", model: "post")
            let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
            let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
            try await store.grant(view.id, toUser: alice.id)
            try await store.grant(view.id, toUser: alice.id)
            try await store.grant(change.id, toGroup: editors.id)
            try await store.grant(view.id, toGroup: editors.id)
            #expect(try await store.userPermissions(userID: alice.id).map(\.key) == ["blog.view_post"])
            #expect(try await store.permissionsThroughGroups(userID: alice.id).isEmpty)
            try await store.addUser(alice.id, toGroup: editors.id)
            #expect(
                try await store.permissionsThroughGroups(userID: alice.id).map(\.key)
                    == ["blog.change_post", "blog.view_post"]
            )
            #expect(try await store.groupPermissions(groupID: editors.id).count == 2)
            #expect(try await store.revoke(view.id, fromUser: alice.id))
            #expect(try await !store.revoke(view.id, fromUser: alice.id))
            #expect(try await store.userPermissions(userID: alice.id).isEmpty)
            #expect(try await store.revoke(change.id, fromGroup: editors.id))
            #expect(try await store.permissionsThroughGroups(userID: alice.id).map(\.key) == ["blog.view_post"])
            await #expect(throws: StoreError.invalidReference("permission")) {
                try await store.grant(change.id + 999, toUser: alice.id)
            }
            await #expect(throws: StoreError.invalidReference("user")) {
                try await store.grant(change.id, toUser: alice.id + 999)
            }
            await #expect(throws: StoreError.invalidReference("group")) {
                try await store.grant(change.id, toGroup: editors.id + 999)
            }
        },
        Case("deleting a user cascades to memberships and grants only") { store in
            let alice = try await store.insertUser(draft("alice"))
            let bob = try await store.insertUser(draft("bob"))
            let editors = try await store.insertGroup(name: "editors")
            let post = try await store.insertContentType(appLabel: "blog", model: "post")
            let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
            try await store.addUser(alice.id, toGroup: editors.id)
            try await store.addUser(bob.id, toGroup: editors.id)
            try await store.grant(view.id, toUser: alice.id)
            try await store.grant(view.id, toUser: bob.id)
            #expect(try await store.deleteUser(id: alice.id))
            #expect(try await !store.deleteUser(id: alice.id))
            #expect(try await store.user(id: alice.id) == nil)
            #expect(try await store.users(inGroup: editors.id).map(\.username) == ["bob"])
            #expect(try await store.userPermissions(userID: bob.id).map(\.key) == ["blog.view_post"])
            #expect(try await store.permission(id: view.id) != nil)
            #expect(try await store.group(id: editors.id) != nil)
            // The username is free again.
            _ = try await store.insertUser(draft("alice"))
        },
        Case("deleting a group, a permission or a content type cascades") { store in
            let alice = try await store.insertUser(draft("alice"))
            let editors = try await store.insertGroup(name: "editors")
            let post = try await store.insertContentType(appLabel: "blog", model: "post")
            let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
            let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
            try await store.addUser(alice.id, toGroup: editors.id)
            try await store.grant(view.id, toGroup: editors.id)
            try await store.grant(change.id, toUser: alice.id)
            #expect(try await store.deleteGroup(id: editors.id))
            #expect(try await !store.deleteGroup(id: editors.id))
            #expect(try await store.groups(ofUser: alice.id).isEmpty)
            #expect(try await store.permissionsThroughGroups(userID: alice.id).isEmpty)
            #expect(try await store.deletePermission(id: change.id))
            #expect(try await store.userPermissions(userID: alice.id).isEmpty)
            #expect(try await store.deleteContentType(id: post.id))
            #expect(try await store.permission(id: view.id) == nil)
            #expect(try await store.permissions().isEmpty)
            #expect(try await store.user(id: alice.id) != nil)
        },
        Case("values survive a round trip unchanged") { store in
            let odd = NewUser(
                username: "o'brien+test@x.y-z_",
                password: "bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuu5Jc0pZg7c2l0yqkHEzW0o4m5rVJwB6W",
                email: "Zoë.O'Brien@example.com",
                firstName: "Zoë 🦄",
                lastName: "O'Brien; DROP TABLE auth_user; --",
                dateJoined: Date(timeIntervalSince1970: 0.000_001)
            )
            let saved = try await store.insertUser(odd)
            let reloaded = try #require(try await store.user(id: saved.id))
            #expect(reloaded.username == odd.username)
            #expect(reloaded.password == odd.password)
            #expect(reloaded.email == odd.email)
            #expect(reloaded.firstName == odd.firstName)
            #expect(reloaded.lastName == odd.lastName)
            #expect(abs(reloaded.dateJoined.timeIntervalSince1970 - 0.000_001) < 0.000_000_5)
            let group = try await store.insertGroup(name: "ünïcode 'group'")
            #expect(try await store.group(name: "ünïcode 'group'")?.id == group.id)
        },
    ]
}
