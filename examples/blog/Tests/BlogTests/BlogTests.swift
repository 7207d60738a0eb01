import Blog
import Foundation
import Gatehouse
import GatehouseSQL
import Hummingbird
import HummingbirdTesting
import Testing

/// The blog, in-process, on a fresh SQLite file per test.
@Suite("Blog")
struct BlogTests {
    static let password = "correct horse battery staple"

    /// Opens a new blog in a temporary directory, runs `body` with it, and removes it.
    func withBlog(_ body: (Blog) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blog-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = BlogConfiguration()
        configuration.databasePath = directory.appendingPathComponent("blog.sqlite3").path
        configuration.secretKey = "blog-tests-secret-key-0123456789abcdefghijklmnop"
        // Fast hashing for tests; the default is Django's 1,500,000 PBKDF2 iterations.
        configuration.hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))
        configuration.logRequests = false
        let blog = try await Blog.open(configuration)
        do {
            try await body(blog)
        } catch {
            try? await blog.shutdown()
            throw error
        }
        try await blog.shutdown()
    }

    @Test func anonymousBrowsersAreSentToLogInAndComeBack() async throws {
        try await withBlog { blog in
            _ = try await blog.createUser(username: "alice", password: Self.password, permissions: ["blog.add_post"])
            try await Application(router: try await blog.makeRouter(logRequests: false)).test(.router) { client in
                let visitor = Visitor(client)
                #expect(try await visitor.get("/").status == .ok, "the front page is public")
                let denied = try await visitor.get("/posts/new")
                #expect(denied.status == .found)
                #expect(denied.headers[.location] == "/accounts/login/?next=/posts/new")

                let login = try await visitor.logIn("alice", password: Self.password, next: "/posts/new")
                #expect(login.status == .found)
                #expect(login.headers[.location] == "/posts/new")
                #expect(visitor.cookies["sessionid"]?.count == 32, "the session cookie")
                #expect(try await visitor.get("/posts/new").status == .ok)
            }
        }
    }

    @Test func aWrongPasswordGetsTheFormAgainAndNoSession() async throws {
        try await withBlog { blog in
            _ = try await blog.createUser(username: "alice", password: Self.password)
            try await Application(router: try await blog.makeRouter(logRequests: false)).test(.router) { client in
                let visitor = Visitor(client)
                let response = try await visitor.logIn("alice", password: "not it")
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Please enter a correct username and password."))
                #expect(visitor.cookies["sessionid"] == nil)
            }
        }
    }

    @Test func theEditorNeedsThePermission() async throws {
        try await withBlog { blog in
            let alice = try await blog.createUser(username: "alice", password: Self.password)
            try await Application(router: try await blog.makeRouter(logRequests: false)).test(.router) { client in
                let visitor = Visitor(client)
                try await visitor.logIn("alice", password: Self.password)
                #expect(try await visitor.get("/posts/new").status == .forbidden, "logged in, without blog.add_post")

                try await blog.grant("blog.add_post", to: alice)
                #expect(try await visitor.get("/posts/new").status == .ok, "the grant shows on the next request")
                let saved = try await visitor.submit(["title": "Hello", "body": "First post."], to: "/posts/new", from: "/posts/new")
                #expect(saved.status == .found)
                let location = try #require(saved.headers[.location])
                let page = try await visitor.get(location)
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("<h1>Hello</h1>"))
            }
        }
    }

    @Test func authorsEditTheirOwnPostsOnly() async throws {
        try await withBlog { blog in
            let alice = try await blog.createUser(username: "alice", password: Self.password)
            let bob = try await blog.createUser(username: "bob", password: Self.password)
            let alices = try await blog.posts.insert(title: "Alice's", body: "A.", authorID: alice.id)
            let bobs = try await blog.posts.insert(title: "Bob's", body: "B.", authorID: bob.id)
            try await Application(router: try await blog.makeRouter(logRequests: false)).test(.router) { client in
                let visitor = Visitor(client)
                try await visitor.logIn("alice", password: Self.password)
                #expect(try await visitor.get("/posts/\(bobs.id)/edit").status == .forbidden)
                #expect(try await visitor.get("/posts/\(alices.id)/edit").status == .ok)
                #expect(try await visitor.get("/posts/999/edit").status == .notFound)

                let edited = try await visitor.submit(
                    ["title": "Alice's, edited", "body": "A!"], to: "/posts/\(alices.id)/edit", from: "/posts/\(alices.id)/edit"
                )
                #expect(edited.status == .found)
                #expect(try await blog.posts.post(id: alices.id)?.title == "Alice's, edited")
                #expect(try await blog.posts.post(id: bobs.id)?.title == "Bob's")
            }
        }
    }

    @Test func aGrantOnOnePostLetsAnotherUserEditIt() async throws {
        try await withBlog { blog in
            let alice = try await blog.createUser(username: "alice", password: Self.password)
            let bob = try await blog.createUser(username: "bob", password: Self.password)
            let alices = try await blog.posts.insert(title: "Alice's", body: "A.", authorID: alice.id)
            let other = try await blog.posts.insert(title: "Also Alice's", body: "A.", authorID: alice.id)
            try await Application(router: try await blog.makeRouter(logRequests: false)).test(.router) { client in
                let visitor = Visitor(client)
                try await visitor.logIn("bob", password: Self.password)
                #expect(try await visitor.get("/posts/\(alices.id)/edit").status == .forbidden)

                // What `gatehouse permissions grant-object bob blog.change_post ID` does.
                let postType = try #require(try await blog.store.contentType(appLabel: "blog", model: "post"))
                let change = try #require(try await blog.store.permission(appLabel: "blog", codename: "change_post"))
                try await blog.store.grant(change.id, toUser: bob.id, on: ObjectReference(contentTypeID: postType.id, objectID: String(alices.id)))
                #expect(try await visitor.get("/posts/\(alices.id)/edit").status == .ok)
                #expect(try await visitor.get("/posts/\(other.id)/edit").status == .forbidden, "on that post only")
            }
        }
    }

    @Test func theAPIAnswersInJSON() async throws {
        try await withBlog { blog in
            let alice = try await blog.createUser(username: "alice", password: Self.password)
            _ = try await blog.posts.insert(title: "Hello", body: "First post.", authorID: alice.id)
            try await Application(router: try await blog.makeRouter(logRequests: false)).test(.router) { client in
                let visitor = Visitor(client)
                let anonymous = try await visitor.get("/api/posts", json: true)
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Session") == true)
                #expect(String(buffer: anonymous.body).contains(#""error":"authentication_required""#))

                try await visitor.logIn("alice", password: Self.password)
                let forbidden = try await visitor.get("/api/posts", json: true)
                #expect(forbidden.status == .forbidden)
                #expect(String(buffer: forbidden.body).contains(#""error":"permission_denied""#))

                try await blog.grant("blog.view_post", to: alice)
                let allowed = try await visitor.get("/api/posts", json: true)
                #expect(allowed.status == .ok)
                let posts = try JSONDecoder().decode([Post].self, from: Data(String(buffer: allowed.body).utf8))
                #expect(posts.map(\.title) == ["Hello"])
            }
        }
    }
}
