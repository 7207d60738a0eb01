import CoreMetrics
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// The Prometheus endpoint of `serve --metrics-address`: bootstraps swift-metrics with
/// swift-prometheus's factory (the libraries emit through swift-metrics only) and serves the
/// registry's text at `GET /metrics` on a listener of its own, so the gateway's port never shows it.
enum MetricsServer {
    /// Request and upstream latencies are often well under 5 ms: finer buckets than Prometheus's default.
    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500),
        .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Bootstraps the metrics system and starts the listener; returns once it listens (the task
    /// serving it, to cancel when the server stops), or throws a clear error when it cannot.
    static func start(at address: MetricsAddress, logger: Logger) async throws -> Task<Void, Never> {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)

        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        let (events, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        // The listener's own lines stay out of the log: it is stopped by cancellation when the
        // server stops (which Hummingbird would report as an error), and a failure to bind is
        // reported below as the start error.
        var quiet = logger
        quiet.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "Gatehouse metrics"),
            onServerRunning: { channel in continuation.yield(.success(channel.localAddress?.port ?? address.port)) },
            logger: quiet
        )
        let task = Task {
            do {
                try await app.run()
            } catch {
                continuation.yield(.failure(error))
            }
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .success(let port):
                // Not "at http://...": tests and scripts find the site's own port by that phrase.
                logger.info("Prometheus metrics on http://\(MetricsAddress.display(host: address.host, port: port))/metrics")
                return task
            case .failure(let error):
                throw CommandFailure("--metrics-address \(address): cannot listen there (\(error))")
            }
        }
        throw CommandFailure("--metrics-address \(address): the listener stopped before it started")
    }
}
