import Gatehouse
public import Hummingbird
import Logging

/// Answers 503 for a request that met ``Gatehouse/StoreError/unavailable(_:)`` anywhere below it (a
/// permission check, a group lookup, a view): a database outage fails the request, never as a
/// 500, and changes nothing about the session. ``GatehouseRouterBuilder`` installs it.
///
/// ```swift
/// router.add(middleware: StoreOutageMiddleware<GatehouseRequestContext>())
/// ```
public struct StoreOutageMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreError where error.isUnavailable {
            context.logger.error("the database is unavailable", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, message: "The service is briefly unavailable; try again shortly.")
        }
    }
}
