package import Hummingbird

/// Counts every request by route class and status and times it (``RequestMetrics``): install it
/// first, beside ``AccessLogMiddleware``, so that it sees the answer of every later middleware,
/// errors included. ``GatehouseRouterBuilder/install(on:logRequests:)`` does.
package struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let loginPath: String
    let logoutPath: String
    let metrics: RequestMetrics

    package init(loginPath: String, logoutPath: String, metrics: RequestMetrics = .shared) {
        self.loginPath = loginPath
        self.logoutPath = logoutPath
        self.metrics = metrics
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = RouteClass.of(path: request.uri.path, loginPath: loginPath, logoutPath: logoutPath)
        do {
            let response = try await next(request, context)
            record(route, status: Int(response.status.code), started: started)
            return response
        } catch let error as any HTTPResponseError {
            record(route, status: Int(error.status.code), started: started)
            throw error
        } catch {
            record(route, status: 500, started: started)
            throw error
        }
    }

    private func record(_ route: RouteClass, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        metrics.record(route, status: status, nanoseconds: nanoseconds)
    }
}
