package import CoreMetrics

/// The domain's metrics, emitted through swift-metrics to whatever backend the application
/// bootstraps (none by default, and then they cost almost nothing): logins, the password hashing
/// pool, the permission and session caches, and database errors. Each handle is made once, so
/// counting is one call on an existing handle, never a lookup by name per request. Labels take a
/// few fixed values only (docs/operations.md lists every metric).
package final class DomainMetrics: Sendable {
    /// The handles on `MetricsSystem.factory`, made the first time anything counts: bootstrap the
    /// metrics system before serving.
    package static let shared = DomainMetrics()

    /// `gatehouse_logins_total{outcome="succeeded"}`: logins through the login page.
    package let loginsSucceeded: Counter
    /// `gatehouse_logins_total{outcome="failed"}`: wrong credentials, inactive accounts.
    package let loginsFailed: Counter
    /// `gatehouse_logins_total{outcome="throttled"}`: attempts refused by the login throttle.
    package let loginsThrottled: Counter
    /// `gatehouse_password_hashing_queue_depth`: jobs waiting for a hashing thread.
    package let hashingQueueDepth: Meter
    /// `gatehouse_password_hashing_refused_total`: jobs refused because the queue was full.
    package let hashingRefused: Counter
    /// `gatehouse_permission_cache_total{result="hit"}`.
    package let permissionCacheHits: Counter
    /// `gatehouse_permission_cache_total{result="miss"}`.
    package let permissionCacheMisses: Counter
    /// `gatehouse_session_cache_total{result="hit"}`: session data that verified before.
    package let sessionCacheHits: Counter
    /// `gatehouse_session_cache_total{result="miss"}`.
    package let sessionCacheMisses: Counter
    /// `gatehouse_database_errors_total{operation="read"}`.
    package let databaseReadErrors: Counter
    /// `gatehouse_database_errors_total{operation="write"}`.
    package let databaseWriteErrors: Counter

    /// Makes every handle on `factory`.
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
            Counter(label: label, dimensions: dimensions, factory: factory)
        }
        loginsSucceeded = counter("gatehouse_logins_total", [("outcome", "succeeded")])
        loginsFailed = counter("gatehouse_logins_total", [("outcome", "failed")])
        loginsThrottled = counter("gatehouse_logins_total", [("outcome", "throttled")])
        hashingQueueDepth = Meter(label: "gatehouse_password_hashing_queue_depth", factory: factory)
        hashingRefused = counter("gatehouse_password_hashing_refused_total")
        permissionCacheHits = counter("gatehouse_permission_cache_total", [("result", "hit")])
        permissionCacheMisses = counter("gatehouse_permission_cache_total", [("result", "miss")])
        sessionCacheHits = counter("gatehouse_session_cache_total", [("result", "hit")])
        sessionCacheMisses = counter("gatehouse_session_cache_total", [("result", "miss")])
        databaseReadErrors = counter("gatehouse_database_errors_total", [("operation", "read")])
        databaseWriteErrors = counter("gatehouse_database_errors_total", [("operation", "write")])
    }

    /// Counts one login attempt by its outcome: `succeeded`, `failed` or `throttled`.
    package func countLogin(_ outcome: String) {
        switch outcome {
        case "succeeded": loginsSucceeded.increment()
        case "throttled": loginsThrottled.increment()
        default: loginsFailed.increment()
        }
    }

    /// Sets the number of hashing jobs waiting for a thread.
    package func setHashingQueueDepth(_ depth: Int) {
        hashingQueueDepth.set(depth)
    }

    /// Counts one hashing job refused because the queue was full.
    package func countHashingRefused() {
        hashingRefused.increment()
    }

    /// Counts one look-up in the permission cache.
    package func countPermissionCache(hit: Bool) {
        (hit ? permissionCacheHits : permissionCacheMisses).increment()
    }

    /// Counts one look-up in the session data cache.
    package func countSessionCache(hit: Bool) {
        (hit ? sessionCacheHits : sessionCacheMisses).increment()
    }

    /// Counts one failed database read or write.
    package func countDatabaseError(writing: Bool) {
        (writing ? databaseWriteErrors : databaseReadErrors).increment()
    }
}
