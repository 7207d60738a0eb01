/// A store refused an operation: a uniqueness rule, a missing row or a broken reference.
///
/// Every store implementation reports these the same way, so callers can branch on them without
/// knowing whether memory, SQLite or PostgreSQL is behind the protocol.
///
/// ```swift
/// do {
///     _ = try await store.insertUser(draft)
/// } catch let error as StoreError where error == .duplicate("username") {
///     print("taken")
/// }
/// ```
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case duplicate(String)
        case notFound(String)
        case invalidReference(String)
        case unavailable(String)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// A row with the same value of `field` (for example `username`, `name`, `codename`) exists.
    public static func duplicate(_ field: String) -> StoreError { StoreError(.duplicate(field)) }
    /// The `entity` (for example `user`) to change does not exist.
    public static func notFound(_ entity: String) -> StoreError { StoreError(.notFound(entity)) }
    /// A referenced `entity` (for example the content type of a new permission) does not exist.
    public static func invalidReference(_ entity: String) -> StoreError { StoreError(.invalidReference(entity)) }
    /// The backing database failed; `reason` never contains values from the rows.
    public static func unavailable(_ reason: String) -> StoreError { StoreError(.unavailable(reason)) }

    /// Whether the error is a uniqueness violation.
    public var isDuplicate: Bool {
        if case .duplicate = base { return true }
        return false
    }

    /// Whether the error says a row was missing.
    public var isNotFound: Bool {
        if case .notFound = base { return true }
        return false
    }

    /// Whether the database failed or could not be reached: the request fails (503) and is worth
    /// retrying; nothing about the user or the session is wrong.
    public var isUnavailable: Bool {
        if case .unavailable = base { return true }
        return false
    }

    /// A one-line explanation without any row values.
    public var description: String {
        switch base {
        case .duplicate(let field): "a row with this \(field) already exists"
        case .notFound(let entity): "no such \(entity)"
        case .invalidReference(let entity): "the referenced \(entity) does not exist"
        case .unavailable(let reason): "the database failed: \(reason)"
        }
    }
}
