import Gatehouse
import PostgresNIO

/// Which PostgreSQL failures mean "the database is not there now" (a 503 for the request) rather
/// than a refusal of this statement.
enum PostgresOutage {
    /// The SQLSTATE classes of a lost or refused connection: 08 (connection exception), 53
    /// (insufficient resources, such as too many connections), 57 (operator intervention: an
    /// administrator's shutdown or `pg_terminate_backend`, a database starting up).
    static let unavailableClasses: Set<Substring> = ["08", "53", "57"]

    /// `error` as a ``Gatehouse/StoreError/unavailable(_:)`` when it is an outage, or unchanged.
    /// `connected` says whether the work had a connection: every failure before that is an outage.
    static func storeError(for error: any Error, connected: Bool) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        guard let psqlError = error as? PSQLError else {
            return connected ? error : StoreError.unavailable("no database connection (\(type(of: error)))")
        }
        switch psqlError.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return StoreError.unavailable("the database connection failed (\(psqlError.code))")
        case .server:
            if let state = psqlError.serverInfo?[.sqlState], unavailableClasses.contains(state.prefix(2)) {
                return StoreError.unavailable("the database refused the connection (SQLSTATE \(state))")
            }
            return error
        default:
            return connected ? error : StoreError.unavailable("no database connection (\(psqlError.code))")
        }
    }
}
