public import Gatehouse
import Foundation
import SQLKit

/// The ``Gatehouse/AuthStore`` on Django's own tables, for SQLite and PostgreSQL alike.
///
/// It reads and writes `auth_user`, `auth_group`, `auth_permission`, `django_content_type` and the
/// three link tables exactly as Django does, so a Django application can share the database.
/// Deletes cascade to link rows inside one transaction, as Django's ORM does (its foreign keys have
/// no `ON DELETE CASCADE` in the schema).
///
/// ```swift
/// let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: "gatehouse.sqlite3"))
/// try await MigrationRunner(provider: provider).migrate()
/// let store = SQLAuthStore(provider: provider)
/// let alice = try await store.user(username: "alice")
/// ```
public struct SQLAuthStore: AuthStore, PermissionChangeTracking {
    /// Where the connections come from.
    public let provider: any SQLDatabaseProvider
    let values: SQLValueCoder

    /// Creates a store on `provider`'s database, which must be migrated.
    public init(provider: any SQLDatabaseProvider) {
        self.provider = provider
        self.values = SQLValueCoder(flavor: provider.flavor)
    }

    /// The newest version of the permission data seen by this process: advanced by every load of a
    /// user (the query reads the database's counter too) and by this store's own permission
    /// writes. Shared by every store on the same provider.
    ///
    /// ```swift
    /// let cache = PermissionCache()
    /// let backend = CachedPermissionBackend(ModelPermissionBackend(store: store), cache: cache, versions: store.permissionVersion)
    /// ```
    public var permissionVersion: PermissionVersion { provider.permissionVersion }

    /// Reads the database's permission-data version now (one query), for permission checks made
    /// outside a request, where no user load has brought it.
    ///
    /// ```swift
    /// try await store.refreshPermissionVersion()
    /// let allowed = try await checker.hasPermission(user, "blog.add_post")
    /// ```
    @discardableResult
    public func refreshPermissionVersion() async throws -> UInt64 {
        let version = try await read { db in try await Self.readPermissionVersion(db) }
        permissionVersion.observe(version)
        return version
    }

    static let permissionVersionColumn: SQLQueryString =
        "(SELECT version FROM gatehouse_permission_version WHERE id = 1) AS gatehouse_permission_version"

    static func readPermissionVersion(_ db: any SQLDatabase) async throws -> UInt64 {
        let row = try await db.raw("SELECT \(permissionVersionColumn)").first()
        return try row.map(decodePermissionVersion) ?? 0
    }

    static func decodePermissionVersion(_ row: any SQLRow) throws -> UInt64 {
        UInt64(clamping: try row.decode(column: "gatehouse_permission_version", as: Int64?.self) ?? 0)
    }

    /// Runs a write transaction, turning constraint failures into the given store errors. Writes
    /// that can change permissions (`changesPermissions`) read the advanced version before
    /// committing, so this process's caches see its own changes at once.
    func write<T: Sendable>(
        duplicate: StoreError? = nil,
        invalidReference: StoreError? = nil,
        changesPermissions: Bool = true,
        _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            guard changesPermissions else { return try await provider.write(body) }
            let (result, version) = try await provider.write { db in
                let result = try await body(db)
                return (result, try await Self.readPermissionVersion(db))
            }
            permissionVersion.observe(version)
            return result
        } catch let error as StoreError {
            throw error
        } catch {
            switch provider.constraintViolation(in: error) {
            case .unique?: throw duplicate ?? StoreError.unavailable("unexpected unique constraint failure")
            case .foreignKey?: throw invalidReference ?? StoreError.unavailable("unexpected foreign key failure")
            case nil: throw error
            }
        }
    }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await provider.read(body)
    }

    /// Whether a row with `id` exists in `table` (a trusted, constant table name).
    static func exists(_ db: any SQLDatabase, table: String, id: Int64) async throws -> Bool {
        try await db.raw("SELECT 1 AS found FROM \(ident: table) WHERE id = \(bind: id)").first() != nil
    }
}
