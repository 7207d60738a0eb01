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
public struct SQLAuthStore: AuthStore {
    /// Where the connections come from.
    public let provider: any SQLDatabaseProvider
    let values: SQLValueCoder

    /// Creates a store on `provider`'s database, which must be migrated.
    public init(provider: any SQLDatabaseProvider) {
        self.provider = provider
        self.values = SQLValueCoder(flavor: provider.flavor)
    }

    /// Runs a write transaction, turning constraint failures into the given store errors.
    func write<T: Sendable>(
        duplicate: StoreError? = nil,
        invalidReference: StoreError? = nil,
        _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            return try await provider.write(body)
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
