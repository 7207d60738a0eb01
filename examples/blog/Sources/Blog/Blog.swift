import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseSQL
import Hummingbird
import Mustache

/// What the blog needs to start, with defaults for running it on your machine.
public struct BlogConfiguration: Sendable {
    /// The SQLite file (created and migrated on first start).
    public var databasePath: String = "blog.sqlite3"
    /// Django's SECRET_KEY: signs sessions. Set `BLOG_SECRET_KEY` in production.
    public var secretKey: String = "blog-example-development-secret-key-change-me"
    /// How passwords are hashed (Django's PBKDF2 with 1,500,000 iterations by default).
    public var hashers: PasswordHashers = PasswordHashers()
    /// Whether to log every request.
    public var logRequests: Bool = true

    /// The defaults.
    public init() {}
}

/// The blog: the database, Gatehouse's stores and the posts, and the router that serves them.
public struct Blog: Sendable {
    /// The embedded SQLite database.
    public let provider: SQLiteDatabaseProvider
    /// Gatehouse's users, groups and permissions on that database.
    public let store: SQLAuthStore
    /// The posts on that database.
    public let posts: PostStore
    /// Gatehouse's middleware and login pages, configured for the blog.
    public let gatehouse: GatehouseRouterBuilder

    /// Opens the database, applies Gatehouse's migrations and the blog's own, and registers the
    /// `blog.Post` model (its `add`, `change`, `delete` and `view` permissions).
    public static func open(_ configuration: BlogConfiguration) async throws -> Blog {
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: configuration.databasePath))
        do {
            try await MigrationRunner(provider: provider, migrations: Migration.all + [.blogPosts]).migrate()
            let store = SQLAuthStore(provider: provider)
            try await ModelRegistration(store: store).register(appLabel: "blog", model: "Post")
            let keys = try SigningKeys(secretKey: configuration.secretKey)
            var login = LoginConfiguration()
            login.loginRedirectURL = "/"
            let gatehouse = GatehouseRouterBuilder(
                users: store,
                sessions: SQLSessionStore(provider: provider, keys: keys),
                keys: keys,
                login: login,
                hashers: configuration.hashers
            )
            return Blog(provider: provider, store: store, posts: PostStore(provider: provider), gatehouse: gatehouse)
        } catch {
            try? await provider.shutdown()
            throw error
        }
    }

    /// Closes the database.
    public func shutdown() async throws {
        try await provider.shutdown()
    }

    /// Creates a user with `permissions` (`blog.add_post`, ...), as `gatehouse users create` and
    /// `gatehouse permissions grant` would.
    @discardableResult
    public func createUser(username: String, password: String, permissions: [String] = []) async throws -> User {
        let manager = UserManager(store: store, hashers: gatehouse.hashers)
        let user = try await manager.create(try manager.draft(username: username), password: password)
        for key in permissions {
            try await grant(key, to: user)
        }
        return user
    }

    /// Grants `user` the permission `key` (`blog.add_post`), as `gatehouse permissions grant` does.
    public func grant(_ key: String, to user: User) async throws {
        let name = try PermissionName(key)
        guard let permission = try await store.permission(appLabel: name.appLabel, codename: name.codename) else {
            throw BlogError.unknownPermission(key)
        }
        try await store.grant(permission.id, toUser: user.id)
    }

    /// The permission checks of the blog: Gatehouse's (model permissions and per-object grants,
    /// cached and never stale), then the blog's own rule that authors edit their own posts.
    public var permissions: PermissionChecker {
        get throws {
            PermissionChecker(backends: try gatehouse.permissionChecker.backends + [AuthorsEditOwnPosts(posts: posts)])
        }
    }

    /// The router: Gatehouse's middleware and account pages, then the blog's pages and API.
    public func makeRouter(logRequests: Bool = true) async throws -> Router<GatehouseRequestContext> {
        let router = Router(context: GatehouseRequestContext.self)
        gatehouse.install(on: router, logRequests: logRequests)
        let pages = try await Pages.load()
        BlogRoutes(posts: posts, permissions: try permissions, pages: pages).add(to: router)
        return router
    }
}

/// A blog setup problem.
public struct BlogError: Error, CustomStringConvertible {
    private enum Base {
        case unknownPermission(String)
    }

    private let base: Base

    /// No permission has this `app_label.codename`.
    static func unknownPermission(_ key: String) -> BlogError { BlogError(base: .unknownPermission(key)) }

    /// A one-line explanation.
    public var description: String {
        switch base {
        case .unknownPermission(let key): "no permission named \(key)"
        }
    }
}
