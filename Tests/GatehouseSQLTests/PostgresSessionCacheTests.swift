import Foundation
import Gatehouse
import GatehousePostgres
import Logging
import NIOCore
import Synchronization
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import SQLKit
import Testing

@testable import GatehousePostgres

/// Sessions kept in memory on PostgreSQL (``PostgresPoolConfiguration/sessionCache``): answered
/// without a query while the listener hears every change, never trusted while it does not. The
/// cache's own rules run without a database; the rest is skipped without GATEHOUSE_TEST_POSTGRES_URL
/// (CI sets it).
@Suite("PostgreSQL session cache kept current by LISTEN/NOTIFY")
struct PostgresSessionCacheTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let row = SessionRow(data: "data", expireDate: now.addingTimeInterval(60), permissionVersion: 3)

    // MARK: The cache's rules

    @Test func aCacheThatIsNotLiveNeitherAnswersNorStores() {
        let cache = SessionRowCache()
        guard case .miss(nil) = cache.lookup(key: "k", now: Self.now) else { Issue.record("a ticket while not live"); return }
        cache.setLive(true)
        guard case .miss(let ticket?) = cache.lookup(key: "k", now: Self.now) else { Issue.record("no ticket while live"); return }
        cache.setLive(false)
        cache.store(Self.row, for: ticket)
        cache.setLive(true)
        guard case .miss = cache.lookup(key: "k", now: Self.now) else { Issue.record("stored across a drop of the listener"); return }
    }

    @Test func aReadThatRacedAnInvalidationIsNotStored() {
        let cache = SessionRowCache()
        cache.setLive(true)
        guard case .miss(let stale?) = cache.lookup(key: "k", now: Self.now) else { Issue.record("no ticket"); return }
        cache.apply(notification: "*")  // a change committed while the read was under way
        cache.store(Self.row, for: stale)
        guard case .miss(let fresh?) = cache.lookup(key: "k", now: Self.now) else { Issue.record("the raced read was stored"); return }
        cache.store(Self.row, for: fresh)
        guard case .hit(let hit) = cache.lookup(key: "k", now: Self.now) else { Issue.record("a clean read was not stored"); return }
        #expect(hit.data == "data" && hit.permissionVersion == 3)
        // A write by this process forgets at once.
        cache.invalidateAll()
        guard case .miss = cache.lookup(key: "k", now: Self.now) else { Issue.record("kept after a local write"); return }
    }

    @Test func notificationsForgetTheKeysTheyNameAndAnythingUnreadableForgetsAll() {
        let cache = SessionRowCache()
        cache.setLive(true)
        func fill() {
            for key in ["a", "b", "c"] {
                if case .miss(let ticket?) = cache.lookup(key: key, now: Self.now) { cache.store(Self.row, for: ticket) }
            }
            #expect(cache.count == 3)
        }
        func hex(_ key: String) -> String {
            UserSessionRecord.id(ofKey: key)  // the key's SHA-256 in lowercase hex, as the triggers send it
        }
        fill()
        cache.apply(notification: "\(hex("a")),\(hex("c"))"[...])
        #expect(cache.count == 1)
        guard case .hit = cache.lookup(key: "b", now: Self.now) else { Issue.record("b was forgotten"); return }
        for payload in ["*", "", "\(hex("a")),", hex("a").uppercased(), "zz", String(hex("a").dropLast())] {
            fill()
            cache.apply(notification: payload[...])
            #expect(cache.count == 0, "payload '\(payload)'")
        }
    }

    @Test func expiryIsCheckedOnEveryHit() {
        let cache = SessionRowCache()
        cache.setLive(true)
        guard case .miss(let ticket?) = cache.lookup(key: "k", now: Self.now) else { return }
        cache.store(Self.row, for: ticket)
        guard case .hit = cache.lookup(key: "k", now: Self.now.addingTimeInterval(59)) else { Issue.record("expired early"); return }
        guard case .miss = cache.lookup(key: "k", now: Self.now.addingTimeInterval(60)) else { Issue.record("answered at its expiry"); return }
    }

    @Test func aListenerIsSilentAtTheFirstBeatMoreThanThreeIntervalsAfterItsLastEcho() {
        let clock = ManualDeadline()
        let heartbeat = ListenerHeartbeat(interval: .seconds(1), now: clock.now)
        clock.advance(by: .seconds(1))
        #expect(heartbeat.beat() == .ping(1))
        heartbeat.heard()
        clock.advance(by: .seconds(3))
        #expect(heartbeat.beat() == .ping(2), "three beats since the last echo is still in time")
        clock.advance(by: .nanoseconds(1))
        #expect(heartbeat.beat() == .silent)
        #expect(heartbeat.beat() == .silent, "silence lasts until something is heard")
        heartbeat.heard()
        #expect(heartbeat.beat() == .ping(3))
    }

    // MARK: On PostgreSQL

    /// A provider with the cache on, migrated, whose listener is live.
    static func withCachingProviders(
        count: Int = 1, _ body: ([PostgresDatabaseProvider], DatabaseURL) async throws -> Void
    ) async throws {
        try await TestDatabases.withPostgresDatabase { url in
            var pool = TestDatabases.patientPool
            pool.sessionCache = true
            var providers: [PostgresDatabaseProvider] = []
            var failure: (any Error)?
            do {
                for _ in 0..<count { providers.append(try PostgresDatabaseProvider(url: url, pool: pool)) }
                try await MigrationRunner(provider: providers[0], logger: TestDatabases.migrationLogger).migrate()
                for provider in providers {
                    let cache = try #require(provider.sessionCache)
                    try await yieldUntil(seconds: 30, "the listener goes live after the migration") { cache.isLive }
                }
                try await body(providers, url)
            } catch {
                failure = error
            }
            for provider in providers { try? await provider.shutdown() }
            if let failure { throw failure }
        }
    }

    /// Runs `sql` on a connection of its own, with triggers off when `quietly` (so no notification
    /// is sent: only a cache can still answer with the row afterwards).
    static func psql(_ url: DatabaseURL, _ sql: String, quietly: Bool = false) async throws {
        let admin = try PostgresDatabaseProvider(url: url, pool: TestDatabases.patientPool)
        do {
            try await admin.write { db in
                if quietly { try await db.raw("SET LOCAL session_replication_role = replica").run() }
                try await db.raw("\(unsafeRaw: sql)").run()
            }
        } catch {
            try? await admin.shutdown()
            throw error
        }
        try? await admin.shutdown()
    }

    static let keys = try! SigningKeys(secretKey: "session-cache-secret-0123456789abcdefghijk")

    /// One caching provider, its cache, and a session store on it at ``now``.
    static func withCachingStore(
        _ body: (PostgresDatabaseProvider, SessionRowCache, SQLSessionStore, DatabaseURL) async throws -> Void
    ) async throws {
        try await withCachingProviders { providers, url in
            let cache = try #require(providers[0].sessionCache)
            try await body(providers[0], cache, SQLSessionStore(provider: providers[0], keys: keys, clock: ManualClock(now)), url)
        }
    }

    @Test func aKnownSessionNeedsNoQueryAndEveryKindOfChangeEndsIt() async throws {
        guard TestDatabases.postgresEnabled else { return }
        try await Self.withCachingStore { provider, cache, store, url in
            let key = try await store.create(SessionRecord(data: ["a": "1"], expireDate: Self.now.addingTimeInterval(60)))
            #expect(try await store.load(key: key, now: Self.now)?.data == ["a": "1"])
            // Deleted behind the triggers' back: only memory can still answer, and it does.
            try await Self.psql(url, "DELETE FROM django_session", quietly: true)
            #expect(try await store.load(key: key, now: Self.now)?.data == ["a": "1"], "the second read came from memory")
            #expect(cache.count == 1)

            // An update by another process, with the triggers: gone within the bound.
            try await Self.psql(url, "INSERT INTO django_session SELECT * FROM (VALUES ('\(key)', 'x', now() + interval '1 day')) AS v", quietly: true)
            try await Self.psql(url, "UPDATE django_session SET session_data = 'changed' WHERE session_key = '\(key)'")
            try await yieldUntil(seconds: 5, "the update's notification") { cache.count == 0 }

            // A permission-version advance (a grant, a deactivation) forgets every session: the next
            // read brings the new version.
            let second = try await store.create(SessionRecord(data: ["b": "2"], expireDate: Self.now.addingTimeInterval(60)))
            _ = try await store.load(key: second, now: Self.now)
            #expect(cache.count == 1)
            try await Self.psql(url, "UPDATE gatehouse_permission_version SET version = version + 5 WHERE id = 1")
            try await yieldUntil(seconds: 5, "the version's notification") { cache.count == 0 }
            let before = provider.permissionVersion.current
            _ = try await store.load(key: second, now: Self.now)
            #expect(provider.permissionVersion.current > before, "the re-read row carries the new version")

            // A delete through this process is refused by this process at once.
            #expect(cache.count == 1)
            #expect(try await store.delete(key: second))
            #expect(try await store.load(key: second, now: Self.now) == nil)

            // A truncation (Django's flush) forgets everything.
            let third = try await store.create(SessionRecord(data: ["c": "3"], expireDate: Self.now.addingTimeInterval(60)))
            _ = try await store.load(key: third, now: Self.now)
            #expect(cache.count == 1)
            try await Self.psql(url, "TRUNCATE django_session")
            try await yieldUntil(seconds: 5, "the truncation's notification") { cache.count == 0 }
            #expect(try await store.load(key: third, now: Self.now) == nil)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aLogoutOnOneInstanceIsRefusedByAnotherWithin100Milliseconds() async throws {
        guard TestDatabases.postgresEnabled else { return }
        try await Self.withCachingProviders(count: 2) { providers, _ in
            let ending = SQLSessionStore(provider: providers[0], keys: Self.keys, clock: ManualClock(Self.now))
            let asking = SQLSessionStore(provider: providers[1], keys: Self.keys, clock: ManualClock(Self.now))
            let askingCache = try #require(providers[1].sessionCache)
            var delays: [Duration] = []  // from the end of the logout
            var fromSending: [Duration] = []  // from the DELETE's start: includes its own round trips
            for round in 0..<100 {
                let key = try await ending.create(SessionRecord(data: ["round": .string("\(round)")], expireDate: Self.now.addingTimeInterval(600)))
                #expect(try await asking.load(key: key, now: Self.now) != nil)
                #expect(askingCache.contains(key: key), "round \(round): the other instance keeps the session")
                let sent = ContinuousClock.now
                #expect(try await ending.delete(key: key))
                // The logout is over for its user when the delete returns (the commit is confirmed).
                let ended = ContinuousClock.now
                #expect(try await ending.load(key: key, now: Self.now) == nil, "refused at once where it ended")
                // The other instance stops answering with it when the notification is applied (on the
                // listener's event loop, timed there, so this task's own scheduling does not count).
                try await yieldUntil(seconds: 10, "round \(round): the notification reaches the other instance") { !askingCache.contains(key: key) }
                #expect(try await asking.load(key: key, now: Self.now) == nil)
                let applied = try #require(askingCache.lastNotification)
                delays.append(max(.zero, applied - ended))
                fromSending.append(applied - sent)
            }
            fromSending.sort()
            delays.sort()
            let p99 = delays[98]
            print(
                "session cache staleness across instances over 100 logouts: after the logout returned median \(delays[50]), p99 \(p99), max \(delays[99]); "
                    + "from the DELETE's start median \(fromSending[50]), p99 \(fromSending[98])"
            )
            #expect(p99 < .milliseconds(100), "p99 \(p99)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func whileTheListenerIsDownEveryReadAsksTheDatabase() async throws {
        guard TestDatabases.postgresEnabled else { return }
        try await Self.withCachingStore { provider, cache, store, url in
            let key = try await store.create(SessionRecord(data: ["a": "1"], expireDate: Self.now.addingTimeInterval(60)))
            _ = try await store.load(key: key, now: Self.now)
            #expect(cache.count == 1)
            // The listening connection is killed from the server's side.
            try await Self.psql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gatehouse session listener' AND datname = current_database()")
            try await yieldUntil(seconds: 10, "the cache notices its listener is gone") { !cache.isLive }
            #expect(cache.count == 0)
            // A change it cannot hear of is seen: the read went to the database.
            try await Self.psql(url, "DELETE FROM django_session", quietly: true)
            #expect(try await store.load(key: key, now: Self.now) == nil)
            // It comes back by itself, and serves from memory again.
            try await yieldUntil(seconds: 30, "the listener reconnects") { cache.isLive }
            let again = try await store.create(SessionRecord(data: ["b": "2"], expireDate: Self.now.addingTimeInterval(60)))
            _ = try await store.load(key: again, now: Self.now)
            #expect(cache.count == 1)
        }
    }
    @Test(.timeLimit(.minutes(2)))
    func aListenerThatStopsHearingItsHeartbeatTurnsTheCacheOffAndReconnects() async throws {
        guard TestDatabases.postgresEnabled else { return }
        try await TestDatabases.withPostgresDatabase { url in
            let admin = try PostgresDatabaseProvider(url: url, pool: TestDatabases.patientPool)
            let clock = ManualDeadline()
            let cache = SessionRowCache()
            var running: (SessionChangeListener, Task<Void, Never>)?
            func stop() async {
                if let (listener, task) = running {
                    task.cancel()
                    await listener.closeConnection()
                    await task.value
                }
                running = nil
                try? await admin.shutdown()
            }
            do {
                try await MigrationRunner(provider: admin, logger: TestDatabases.migrationLogger).migrate()
                let listener = SessionChangeListener(
                    cache: cache, configuration: try PostgresConnectionSettings(url: url).listenerConfiguration(),
                    logger: Logger(label: "test.listener"), heartbeat: .milliseconds(20), retryDelay: .milliseconds(20), now: clock.now
                )
                running = (listener, Task { await listener.run() })
                try await yieldUntil(seconds: 30, "the listener goes live") { cache.isLive }
                guard case .miss(let ticket?) = cache.lookup(key: "k", now: Self.now) else { throw TestFailure("no ticket while live") }
                cache.store(Self.row, for: ticket)
                #expect(cache.count == 1)
                // The connection still delivers, but by the listener's clock its pings stopped
                // coming back: each step is longer than three beats.
                try await yieldUntil(seconds: 30, "the silence is noticed") {
                    clock.advance(by: .seconds(3600))
                    return !cache.isLive
                }
                #expect(cache.count == 0, "a silent listener's cache forgets everything")
                // The clock no longer jumps: it reconnects and proves again that it hears.
                try await yieldUntil(seconds: 30, "the listener reconnects") { cache.isLive }
                let (_, task) = try #require(running)
                task.cancel()
                await listener.closeConnection()
                await task.value
                running = nil
                #expect(!cache.isLive)
            } catch {
                await stop()
                throw error
            }
            await stop()
        }
    }
}

/// A monotonic clock that moves only when a test moves it.
private final class ManualDeadline: Sendable {
    private let current = Mutex(NIODeadline.uptimeNanoseconds(1_000_000_000))

    var now: @Sendable () -> NIODeadline { { [self] in current.withLock { $0 } } }

    func advance(by amount: TimeAmount) {
        current.withLock { $0 = $0 + amount }
    }
}
