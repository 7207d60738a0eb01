#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How many client connections `serve` accepts at once. Each takes a file descriptor, and a
/// server that runs out of them can no longer open its database or reach its upstream, so the
/// limit stays below the open-file limit (whose soft value is first raised to the hard one, as
/// nginx's `worker_rlimit_nofile` would), keeping 256 descriptors for everything else.
enum ConnectionLimit {
    /// The descriptors kept for the database, the upstream, logs and files.
    static let reserved = 256
    /// The default ceiling.
    static let defaultMaximum = 10_000

    /// `requested` if it fits under the open-file limit, else what does (at least 16).
    static func resolve(_ requested: Int?) -> Int {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return requested ?? 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, 1 << 20)
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        let available = max(16, Int(clamping: limit.rlim_cur) - reserved)
        return min(requested ?? defaultMaximum, available)
    }
}
