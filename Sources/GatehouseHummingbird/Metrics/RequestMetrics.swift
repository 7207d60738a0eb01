package import CoreMetrics
import Synchronization

/// The request metrics: `gatehouse_http_requests_total{route, status}` and the latency histogram
/// `gatehouse_http_request_duration_seconds{route}`, through swift-metrics. The timers are made
/// once; a counter is made the first time its route class and status meet, then found in a small
/// table (at most six classes times the statuses a server sends).
package final class RequestMetrics: Sendable {
    /// The handles on `MetricsSystem.factory`, made the first time a request is counted.
    package static let shared = RequestMetrics()

    private let factory: any MetricsFactory
    private let timers: [RouteClass: CoreMetrics.Timer]
    private let counters = Mutex<[Int: Counter]>([:])

    /// Makes the timers on `factory`.
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        var timers: [RouteClass: CoreMetrics.Timer] = [:]
        for route in RouteClass.allCases {
            timers[route] = CoreMetrics.Timer(label: "gatehouse_http_request_duration_seconds", dimensions: [("route", route.rawValue)], factory: factory)
        }
        self.timers = timers
    }

    /// Counts one answered request of `route` with `status`, which took `nanoseconds`.
    package func record(_ route: RouteClass, status: Int, nanoseconds: Int64) {
        timers[route]?.recordNanoseconds(nanoseconds)
        counter(route, status: status).increment()
    }

    /// The counter for `route` and `status` (a status outside 100...599 counts as `other`).
    func counter(_ route: RouteClass, status: Int) -> Counter {
        let code = (100...599).contains(status) ? status : 0
        let key = code * 16 + (RouteClass.allCases.firstIndex(of: route) ?? 0)
        return counters.withLock { table in
            if let counter = table[key] { return counter }
            let counter = Counter(
                label: "gatehouse_http_requests_total", dimensions: [("route", route.rawValue), ("status", code == 0 ? "other" : String(code))],
                factory: factory
            )
            table[key] = counter
            return counter
        }
    }
}
