import Foundation

/// A database address as the CLI and configuration take it.
///
/// - `sqlite:///relative/path.sqlite3` (three slashes: relative to the working directory)
/// - `sqlite:////absolute/path.sqlite3` (four slashes: an absolute path)
/// - `sqlite://:memory:` (a private in-memory database)
/// - `postgres://user:password@host:port/database` (also `postgresql://`; port 5432 by default), read
///   as libpq reads it: `?sslmode=verify-full&sslrootcert=/path/ca.pem`, `?options=-c%20search_path%3Dapp`,
///   and a Unix-domain socket as `postgresql://user@/database?host=/var/run/postgresql` or
///   `postgresql://user@%2Fvar%2Frun%2Fpostgresql/database` (see ``PostgresURLParameters``)
///
/// ```swift
/// let url = try DatabaseURL("sqlite:///gatehouse.sqlite3")
/// print(url.redacted)   // never shows a password
/// ```
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// What the URL points at.
    public enum Kind: Sendable, Hashable {
        /// An SQLite file, or memory.
        case sqlite(SQLiteStorageConfiguration.Location)
        /// A PostgreSQL server; a `host` that starts with `/` is the directory of its Unix-domain socket.
        case postgres(host: String, port: Int, username: String, password: String?, database: String?)
    }

    /// What the URL points at.
    public let kind: Kind

    /// The query's connection parameters (TLS, options) for a PostgreSQL URL; the defaults for SQLite.
    public private(set) var postgresParameters = PostgresURLParameters()

    /// The default: `sqlite:///gatehouse.sqlite3` in the working directory.
    public static let defaultURL = "sqlite:///gatehouse.sqlite3"

    /// Parses a database URL.
    public init(_ string: String) throws(DatabaseURLError) {
        if string.hasPrefix("sqlite://") {
            let rest = String(string.dropFirst("sqlite://".count))
            if rest == ":memory:" {
                kind = .sqlite(.memory)
                return
            }
            guard rest.hasPrefix("/"), rest.count > 1 else { throw .invalid("an sqlite URL needs a path: sqlite:///file.sqlite3") }
            let raw = String(rest.dropFirst())
            guard let path = raw.removingPercentEncoding else { throw .invalid("the path has a malformed percent-escape") }
            // Checked after decoding: `%00` is a NUL too, and would cut the path short in C.
            guard !path.utf8.contains(0) else { throw .invalid("the path contains a NUL character") }
            kind = .sqlite(.file(path))
            return
        }
        if string.hasPrefix("postgres://") || string.hasPrefix("postgresql://") {
            let parsed = try PostgresURLParser(string)
            guard let user = parsed.username, !user.isEmpty else {
                throw .invalid("a postgres URL needs a user name: postgres://user@host/database")
            }
            kind = .postgres(host: parsed.host, port: parsed.port, username: user, password: parsed.password, database: parsed.database)
            postgresParameters = parsed.parameters
            return
        }
        throw .unsupportedScheme
    }

    private init(kind: Kind, postgresParameters: PostgresURLParameters) {
        self.kind = kind
        self.postgresParameters = postgresParameters
    }

    /// The same server with another database name; SQLite URLs are returned unchanged.
    ///
    /// ```swift
    /// let other = try DatabaseURL("postgres://app@db/main").replacingDatabase(with: "scratch")
    /// ```
    public func replacingDatabase(with name: String) -> DatabaseURL {
        guard case .postgres(let host, let port, let username, let password, _) = kind else { return self }
        return DatabaseURL(
            kind: .postgres(host: host, port: port, username: username, password: password, database: name),
            postgresParameters: postgresParameters
        )
    }

    /// Creates a URL for an SQLite file.
    public init(sqlitePath path: String) {
        kind = .sqlite(.file(path))
    }

    /// The URL with any password replaced by `***`, safe for logs.
    public var redacted: String {
        switch kind {
        case .sqlite(.memory): return "sqlite://:memory:"
        case .sqlite(.file(let path)): return "sqlite:///\(path)"
        case .postgres(let host, let port, let username, let password, let database):
            let user = Self.encode(username)
            let authority = host.contains(":") ? "[\(host)]" : Self.encode(host)
            var query: [String] = []
            if postgresParameters.sslMode != .prefer { query.append("sslmode=\(postgresParameters.sslMode.rawValue)") }
            if let root = postgresParameters.sslRootCert { query.append("sslrootcert=\(Self.encode(root).replacingOccurrences(of: "%2F", with: "/"))") }
            // options and application_name are left out: they are not needed to tell servers apart.
            let tail = query.isEmpty ? "" : "?" + query.joined(separator: "&")
            return "postgres://\(user)\(password == nil ? "" : ":***")@\(authority):\(port)/\(Self.encode(database ?? ""))\(tail)"
        }
    }

    /// Percent-encodes everything but unreserved characters, so that the text reads back as one URL part.
    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }

    /// The same as ``redacted``.
    public var description: String { redacted }
}

/// A database URL could not be used.
///
/// ```swift
/// do { _ = try DatabaseURL("mysql://x") } catch { print(error) }  // names the accepted forms
/// ```
public struct DatabaseURLError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case unsupportedScheme
        case invalid(String)
    }

    private let base: Base

    /// The scheme is neither `sqlite://` nor `postgres://`.
    public static let unsupportedScheme = DatabaseURLError(base: .unsupportedScheme)

    /// The URL is malformed; `reason` says how.
    public static func invalid(_ reason: String) -> DatabaseURLError { DatabaseURLError(base: .invalid(reason)) }

    /// A one-line explanation.
    public var description: String {
        switch base {
        case .unsupportedScheme:
            "unsupported database URL: use sqlite:///path.sqlite3 or postgres://user:password@host:port/database"
        case .invalid(let reason): "invalid database URL: \(reason)"
        }
    }
}
