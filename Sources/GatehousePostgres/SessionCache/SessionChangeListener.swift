import Foundation
import GatehouseSQL
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The connection that keeps a ``SessionRowCache`` honest: it `LISTEN`s on `gatehouse_changes`
/// (see the migration `0008_gatehouse_change_notifications`) and applies every notification.
///
/// The cache goes live only once this connection has proved it hears: after `LISTEN` it sends a
/// notification of its own and waits for it to come back. It stops being live, and forgets
/// everything, when the connection fails, when the session triggers are missing, and when a
/// heartbeat (a notification sent every ``heartbeat``) has not come back within three of them, as
/// seen at the next beat (``ListenerHeartbeat``; a connection that silently stopped delivering).
/// It then reconnects, every ``retryDelay``.
final class SessionChangeListener: Sendable {
    /// The listening connection's `application_name`.
    static let applicationName = "gatehouse session listener"

    let cache: SessionRowCache
    let configuration: PostgresConnection.Configuration
    let logger: Logger
    let heartbeat: Duration
    let retryDelay: Duration
    private let now: @Sendable () -> NIODeadline
    private let connection = Mutex<PostgresConnection?>(nil)
    private let wentLive = Mutex(false)

    init(
        cache: SessionRowCache, configuration: PostgresConnection.Configuration, logger: Logger,
        heartbeat: Duration = .seconds(1), retryDelay: Duration = .seconds(1), now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.cache = cache
        self.configuration = configuration
        self.logger = logger
        self.heartbeat = heartbeat
        self.retryDelay = retryDelay
        self.now = now
    }

    /// Listens until the task is cancelled, reconnecting after failures.
    func run() async {
        while !Task.isCancelled {
            do {
                try await listenOnce()
            } catch {
                // Once per outage: the pool reports the database's state itself.
                if !Task.isCancelled, wentLive.withLock({ $0 }) {
                    logger.notice("session cache off until the change listener reconnects", metadata: ["reason": "\(String(describing: error).prefix(200))"])
                }
            }
            wentLive.withLock { $0 = false }
            cache.setLive(false)
            await closeConnection()
            guard !Task.isCancelled else { break }
            try? await Task.sleep(for: retryDelay)
        }
        cache.setLive(false)
        await closeConnection()
    }

    /// Closes the listening connection (which ends ``run()``'s current attempt).
    func closeConnection() async {
        let open = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        try? await open?.close()
    }

    struct ListenerError: Error, CustomStringConvertible {
        var description: String
    }

    /// One connection's life: connect, check the triggers, listen, prove it hears, then keep
    /// applying notifications until the connection closes. Notifications, the heartbeat and the
    /// connection's end are all handled on the connection's event loop, so a busy task pool cannot
    /// delay an invalidation or leave the cache live on a closed connection.
    private func listenOnce() async throws {
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        self.connection.withLock { $0 = connection }
        let names = GatehouseChangeNotifications.triggers
        let found = try await connection.query(
            "SELECT count(DISTINCT tgname)::bigint FROM pg_trigger WHERE tgname = ANY(\(names)) AND NOT tgisinternal",
            logger: logger
        ).collect().first?.decode(Int64.self) ?? 0
        guard found == names.count else {
            throw ListenerError(description: "the triggers of migration \(GatehouseChangeNotifications.name) are missing: run gatehouse migrate")
        }
        let cache = self.cache
        let logger = self.logger
        let channel = GatehouseChangeNotifications.channel
        let own = "gatehouse-listener:\(UInt64.random(in: .min ... .max)):"
        let heartbeat = ListenerHeartbeat(interval: TimeAmount(self.heartbeat), now: now)
        connection.closeFuture.whenComplete { _ in cache.setLive(false) }
        connection.addListener(channel: channel) { [self] _, notification in
            let payload = notification.payload
            guard payload.hasPrefix("gatehouse-listener:") else { return cache.apply(notification: payload[...]) }
            guard payload.hasPrefix(own) else { return }  // another instance's
            heartbeat.heard()
            if payload == own + "ready" {
                cache.setLive(true)
                self.wentLive.withLock { $0 = true }
                logger.debug("session cache live")
            }
        }
        // The LISTEN that addListener sends is in force before this statement runs on the same connection.
        let ready: PostgresQuery = "SELECT pg_notify(\(channel), \(own + "ready"))"
        _ = try await connection.query(ready, logger: logger)
        let task = connection.eventLoop.scheduleRepeatedTask(initialDelay: heartbeat.interval, delay: heartbeat.interval) { task in
            switch heartbeat.beat() {
            case .silent:
                // Trust nothing, and end the connection (run() reconnects).
                cache.setLive(false)
                task.cancel()
                connection.close().whenComplete { _ in }
            case .ping(let beat):
                let ping: PostgresQuery = "SELECT pg_notify(\(channel), \(own + String(beat)))"
                connection.query(ping, logger: logger).whenComplete { _ in }
            }
        }
        defer { task.cancel() }
        try await connection.closeFuture.get()
        throw ListenerError(description: "the connection closed")
    }
}
