import Foundation
import Gatehouse
import GatehouseTesting
import Testing

@Suite("Sessions")
struct SessionManagerTests {
    static let start = Date(timeIntervalSince1970: 1_717_171_717)

    static func keys() throws -> SigningKeys {
        try SigningKeys(secretKey: "session-tests-secret-key")
    }

    struct Setup {
        let store: SpySessionStore
        let clock: ManualClock
        let sessions: SessionManager
    }

    static func setup(_ configuration: SessionConfiguration = SessionConfiguration()) -> Setup {
        let store = SpySessionStore()
        let clock = ManualClock(start)
        return Setup(store: store, clock: clock, sessions: SessionManager(store: store, configuration: configuration, clock: clock))
    }

    /// Saves a new session with `data` and returns its key.
    static func create(_ setup: Setup, _ data: [String: JSONValue] = ["cart": [1, 2]]) async throws -> String {
        let session = try await setup.sessions.load(cookie: nil)
        session.update(data)
        let update = try await setup.sessions.save(session)
        return try #require(update.action.setValue)
    }

    // MARK: Basics

    @Test("a request without a cookie gets an empty session that writes nothing")
    func noCookie() async throws {
        let s = Self.setup(SessionConfiguration(saveEveryRequest: true))
        let session = try await s.sessions.load(cookie: nil)
        #expect(session.key == nil)
        #expect(session.isEmpty)
        #expect(try await s.sessions.save(session) == SessionCookieUpdate(action: .keep, varyOnCookie: false))
        #expect(await s.store.inner.count == 0)
    }

    @Test("data round-trips under a new 32-character key")
    func roundTrip() async throws {
        let s = Self.setup()
        let session = try await s.sessions.load(cookie: nil)
        session["cart"] = [1, 2]
        session["user"] = ["name": "Zoë"]
        let update = try await s.sessions.save(session)
        let key = try #require(update.action.setValue)
        #expect(key.count == 32 && SessionKey.isValid(key))
        #expect(session.key == key)
        #expect(!session.modified)
        #expect(update.varyOnCookie)
        // Max-Age is capped by the idle timeout (24 h by default).
        #expect(update.action == .set(value: key, maxAge: 86_400, expires: Self.start.addingTimeInterval(86_400)))

        s.clock.advance(by: 10)
        let loaded = try await s.sessions.load(cookie: key)
        #expect(loaded.key == key)
        #expect(!loaded.accessed && !loaded.modified)
        #expect(loaded.data == ["cart": [1, 2], "user": ["name": "Zoë"]])
        #expect(loaded.accessed)
        #expect(loaded.createdAt == Self.start)
        // Read only and activity recorded 10 s ago: nothing to write.
        #expect(try await s.sessions.save(loaded) == SessionCookieUpdate(action: .keep, varyOnCookie: true))
    }

    @Test("the stored data carries Gatehouse's bookkeeping and a capped expire date")
    func storedRecord() async throws {
        let s = Self.setup(SessionConfiguration(idleTimeout: 3600, absoluteLifetime: 7200))
        let key = try await Self.create(s, ["a": 1])
        let record = try #require(await s.store.inner.load(key: key, now: Self.start))
        #expect(record.data == ["a": 1, "_gatehouse_created": .int(1_717_171_717), "_gatehouse_last_activity": .int(1_717_171_717)])
        #expect(record.expireDate == Self.start.addingTimeInterval(3600))

        // Later activity never pushes the expire date past the absolute lifetime.
        s.clock.advance(by: 3000)
        _ = try await s.sessions.save(try await s.sessions.load(cookie: key))
        s.clock.advance(by: 2400)
        let session = try await s.sessions.load(cookie: key)
        session["a"] = 2
        _ = try await s.sessions.save(session)
        let later = try #require(await s.store.inner.load(key: key, now: s.clock.now()))
        #expect(later.expireDate == Self.start.addingTimeInterval(7200))
    }

    // MARK: Hostile keys

    @Test("hostile keys never reach the store and never create rows", arguments: HostileSessionKeys.all)
    func hostileKeys(_ key: String) async throws {
        let s = Self.setup(SessionConfiguration(saveEveryRequest: true))
        let session = try await s.sessions.load(cookie: key)
        #expect(session.key == nil)
        #expect(session.isEmpty)
        #expect(try await s.sessions.save(session) == SessionCookieUpdate(action: .delete, varyOnCookie: true))
        #expect(await s.store.inner.count == 0)
        #expect(s.store.recordedKeys.isEmpty)
        // Store methods refuse them too.
        let store = MemorySessionStore()
        #expect(await store.load(key: key, now: Self.start) == nil)
        #expect(await !store.save(key: key, SessionRecord(data: ["a": 1], expireDate: .distantFuture)))
        #expect(await !store.exists(key: key))
        #expect(await !store.delete(key: key))
        #expect(await store.count == 0)
    }

    @Test("an unknown well-formed key gets an empty session, and data goes to a fresh key")
    func unknownKey() async throws {
        let s = Self.setup()
        let attackerKey = "attackerchosenkey0123456789abcde"
        let session = try await s.sessions.load(cookie: attackerKey)
        #expect(session.key == nil)
        #expect(try await s.sessions.save(session).action == .delete)
        #expect(await s.store.inner.count == 0)

        let again = try await s.sessions.load(cookie: attackerKey)
        again["_auth_user_id"] = "1"
        let key = try #require(try await s.sessions.save(again).action.setValue)
        #expect(key != attackerKey, "no session fixation")
        #expect(await s.store.inner.count == 1)
        #expect(await !s.store.inner.exists(key: attackerKey))
    }

    // MARK: Expiry

    @Test("Django's cookie age expires a session saved long ago")
    func cookieAge() async throws {
        let s = Self.setup(SessionConfiguration(cookieAge: 3600, idleTimeout: nil, absoluteLifetime: nil))
        let key = try await Self.create(s)
        s.clock.advance(by: 3599)
        #expect(try await s.sessions.load(cookie: key).key == key)
        s.clock.advance(by: 1)
        #expect(try await s.sessions.load(cookie: key).key == nil)
        #expect(try await s.sessions.clearExpired() == 0, "expire_date == now is not yet < now")
        s.clock.advance(by: 1)
        #expect(try await s.sessions.clearExpired() == 1)
        #expect(await s.store.inner.count == 0)
    }

    @Test("Django mode: reading without saving does not extend the session")
    func djangoModeReadOnly() async throws {
        let s = Self.setup(.django)
        let key = try await Self.create(s)
        for _ in 0..<13 {
            s.clock.advance(by: 86_400)
            let session = try await s.sessions.load(cookie: key)
            _ = session["cart"]
            #expect(try await s.sessions.save(session).action == .keep)
        }
        s.clock.advance(by: 86_400)
        #expect(try await s.sessions.load(cookie: key).key == nil)
    }

    @Test("idle timeout: activity keeps a session alive, inactivity ends it")
    func idleTimeout() async throws {
        let s = Self.setup(SessionConfiguration(idleTimeout: 3600, absoluteLifetime: nil, activityResolution: 60))
        let key = try await Self.create(s)

        // Within the resolution: nothing is written.
        s.clock.advance(by: 30)
        var session = try await s.sessions.load(cookie: key)
        #expect(try await s.sessions.save(session).action == .keep)

        // A read-only request after the resolution records activity.
        s.clock.advance(by: 3000)
        session = try await s.sessions.load(cookie: key)
        let touched = try await s.sessions.save(session)
        #expect(touched.action == .set(value: key, maxAge: 3600, expires: s.clock.now().addingTimeInterval(3600)))
        #expect(session.lastActivityAt == s.clock.now())

        // 3599 s after that activity it is still alive ...
        s.clock.advance(by: 3599)
        session = try await s.sessions.load(cookie: key)
        #expect(session.key == key)
        // ... but not after a full hour without any.
        s.clock.advance(by: 3600)
        session = try await s.sessions.load(cookie: key)
        #expect(session.key == nil)
        #expect(try await s.sessions.clearExpired() == 1, "its expire_date was capped at the idle deadline")
    }

    @Test("absolute lifetime ends a session however active, and cycleKey restarts it")
    func absoluteLifetime() async throws {
        let s = Self.setup(SessionConfiguration(idleTimeout: 3600, absoluteLifetime: 7200))
        var key = try await Self.create(s)
        for _ in 0..<3 {
            s.clock.advance(by: 1800)
            let session = try await s.sessions.load(cookie: key)
            #expect(session.key == key)
            session["tick"] = .int(Int(s.clock.now().timeIntervalSince1970))
            _ = try await s.sessions.save(session)
        }
        s.clock.advance(by: 1800)  // 7200 s after creation
        #expect(try await s.sessions.load(cookie: key).key == nil)

        // A login (cycleKey) starts a new lifetime.
        key = try await Self.create(s)
        s.clock.advance(by: 3000)
        let session = try await s.sessions.load(cookie: key)
        session.cycleKey()
        let newKey = try #require(try await s.sessions.save(session).action.setValue)
        #expect(session.createdAt == s.clock.now())
        s.clock.advance(by: 3000)
        let active = try await s.sessions.load(cookie: newKey)
        #expect(active.key == newKey)
        _ = try await s.sessions.save(active)
        s.clock.advance(by: 3000)
        #expect(try await s.sessions.load(cookie: newKey).key == newKey, "6000 s after the cycle, 9000 s after creation")
    }

    @Test("a per-session expiry (set_expiry) is honoured and stored like Django")
    func perSessionExpiry() async throws {
        let s = Self.setup(.django)
        let session = try await s.sessions.load(cookie: nil)
        session["a"] = 1
        session.expiry = .afterInactivity(seconds: 600)
        #expect(session["_session_expiry"] == 600)
        let update = try await s.sessions.save(session)
        #expect(update.action.maxAge == .some(600))
        let key = try #require(update.action.setValue)
        s.clock.advance(by: 600)
        #expect(try await s.sessions.load(cookie: key).key == nil)

        let browser = try await s.sessions.load(cookie: nil)
        browser["a"] = 1
        browser.expiry = .atBrowserClose
        let browserUpdate = try await s.sessions.save(browser)
        #expect(browserUpdate.action.maxAge == .some(nil))
        let browserKey = try #require(browserUpdate.action.setValue)
        let record = try #require(await s.store.inner.load(key: browserKey, now: s.clock.now()))
        #expect(record.expireDate == s.clock.now().addingTimeInterval(1_209_600), "the row still expires after the cookie age")

        let fixed = try await s.sessions.load(cookie: nil)
        fixed["a"] = 1
        fixed.expiry = .at(s.clock.now().addingTimeInterval(100.5))
        #expect(fixed.expiry == .at(s.clock.now().addingTimeInterval(100.5)))
        #expect(try await s.sessions.save(fixed).action.maxAge == .some(100))
        fixed.expiry = nil
        #expect(fixed["_session_expiry"] == nil)
    }

    @Test("odd stored expiry and bookkeeping values never crash", arguments: [
        JSONValue.int(.max), .int(.min), .int(-1), .double(1e300), .double(-1e300), .double(.nan), .double(.infinity),
        "not a date", "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00Z", "2024-13-01T00:00:00Z", true, [1], ["a": 1], nil,
    ])
    func oddStoredValues(_ value: JSONValue) async throws {
        for configuration in [SessionConfiguration(), .django] {
            let s = Self.setup(configuration)
            let data: [String: JSONValue] = [SessionExpiry.dataKey: value, Session.createdKey: value, Session.lastActivityKey: value]
            let key = try await s.store.create(SessionRecord(data: data, expireDate: Self.start.addingTimeInterval(60)))
            let session = try await s.sessions.load(cookie: key)
            session["touched"] = true
            _ = s.sessions.expireDate(of: session)
            _ = s.sessions.expiresAtBrowserClose(session)
            let update = try await s.sessions.save(session)
            if case .set(_, let maxAge?, _) = update.action {
                #expect(abs(maxAge) <= 253_402_300_799)
            }
            let cookies = SessionManager(signedCookies: SignedCookieSessionCodec(keys: try Self.keys()), configuration: configuration, clock: s.clock)
            let cookie = SignedCookieSessionCodec(keys: try Self.keys()).encode(data, at: Self.start)
            let fromCookie = try await cookies.load(cookie: cookie)
            fromCookie["touched"] = true
            _ = try await cookies.save(fromCookie)
        }
    }

    @Test("a session Django created (no bookkeeping) is adopted and stamped")
    func djangoCreated() async throws {
        let s = Self.setup()
        let key = try await s.store.create(SessionRecord(data: ["_auth_user_id": "9"], expireDate: Self.start.addingTimeInterval(100_000)))
        let session = try await s.sessions.load(cookie: key)
        #expect(session.data == ["_auth_user_id": "9"])
        #expect(session.createdAt == nil)
        #expect(try await s.sessions.save(session).action.setValue == key)
        let record = try #require(await s.store.inner.load(key: key, now: Self.start))
        #expect(record.data[Session.createdKey] == .int(1_717_171_717))
        #expect(record.data[Session.lastActivityKey] == .int(1_717_171_717))
    }

    // MARK: Key changes

    @Test("cycleKey moves the data to a new key and kills the old one")
    func cycleKey() async throws {
        let s = Self.setup()
        let oldKey = try await Self.create(s, ["_auth_user_id": "1"])
        let session = try await s.sessions.load(cookie: oldKey)
        session.cycleKey()
        #expect(session.key == nil)
        #expect(session.modified)
        let newKey = try #require(try await s.sessions.save(session).action.setValue)
        #expect(newKey != oldKey)
        #expect(session.key == newKey)
        #expect(try await s.sessions.load(cookie: oldKey).key == nil)
        #expect(try await s.sessions.load(cookie: newKey).data == ["_auth_user_id": "1"])
        #expect(await s.store.inner.count == 1)
    }

    @Test("flush deletes the row and the cookie; later data goes to a new key")
    func flush() async throws {
        let s = Self.setup()
        let key = try await Self.create(s, ["_auth_user_id": "1"])
        let session = try await s.sessions.load(cookie: key)
        session.flush()
        #expect(session.isEmpty)
        #expect(try await s.sessions.save(session) == SessionCookieUpdate(action: .delete, varyOnCookie: true))
        #expect(await s.store.inner.count == 0)
        #expect(try await s.sessions.load(cookie: key).key == nil)

        let other = try await Self.create(s, ["a": 1])
        let loggingOut = try await s.sessions.load(cookie: other)
        loggingOut.flush()
        loggingOut["message"] = "bye"
        let next = try #require(try await s.sessions.save(loggingOut).action.setValue)
        #expect(next != other)
        #expect(await !s.store.inner.exists(key: other))
        #expect(try await s.sessions.load(cookie: next).data == ["message": "bye"])
    }

    @Test("on a server error only deletions happen")
    func serverError() async throws {
        let s = Self.setup()
        let key = try await Self.create(s)
        let session = try await s.sessions.load(cookie: key)
        session["changed"] = true
        #expect(try await s.sessions.save(session, isServerError: true).action == .keep)
        #expect(try await s.sessions.load(cookie: key)["changed"] == nil)

        let loggedOut = try await s.sessions.load(cookie: key)
        loggedOut.flush()
        loggedOut["x"] = 1
        #expect(try await s.sessions.save(loggedOut, isServerError: true).action == .keep)
        #expect(await s.store.inner.count == 0, "a logout is never undone by an error response")
    }

    @Test("saving a session deleted meanwhile reports it, as Django's SessionInterrupted")
    func interrupted() async throws {
        let s = Self.setup()
        let key = try await Self.create(s)
        let session = try await s.sessions.load(cookie: key)
        _ = try await s.store.delete(key: key)
        session["a"] = 1
        await #expect(throws: StoreError.notFound("session")) { try await s.sessions.save(session) }
        #expect(await s.store.inner.count == 0)
    }

    @Test("clear keeps the key and saves an empty session, as Django does")
    func clear() async throws {
        let s = Self.setup()
        let key = try await Self.create(s)
        let session = try await s.sessions.load(cookie: key)
        session.clear()
        #expect(!session.isEmpty)
        #expect(try await s.sessions.save(session).action.setValue == key)
        #expect(try await s.sessions.load(cookie: key).data == [:])
    }

    // MARK: Session object

    @Test("accessed and modified follow Django's rules")
    func flags() {
        let session = Session()
        #expect(!session.accessed && !session.modified)
        _ = session["missing"]
        #expect(session.accessed && !session.modified)
        session["missing"] = nil
        #expect(!session.modified, "removing a missing key changes nothing")
        #expect(session.removeValue(forKey: "missing") == nil)
        #expect(!session.modified)
        session["a"] = 1
        #expect(session.modified)
        #expect(session.contains("a"))
        #expect(session.removeValue(forKey: "a") == 1)
        let unchanged = Session()
        unchanged.withData { _ in }
        #expect(unchanged.accessed && !unchanged.modified)
    }

    @Test("concurrent updates from many tasks are not lost")
    func concurrency() async throws {
        let session = Session()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for _ in 0..<100 {
                        session.withData { data in data["count"] = .int((data["count"]?.intValue ?? 0) + 1) }
                    }
                    session["task\(task)"] = true
                }
            }
        }
        #expect(session["count"] == 5000)
        #expect(session.data.count == 51)
    }

    @Test("changes made while a save is in flight stay modified")
    func changeDuringSave() async throws {
        let s = Self.setup()
        let session = try await s.sessions.load(cookie: nil)
        session["a"] = 1
        _ = try await s.sessions.save(session)
        #expect(!session.modified)
        // Simulate: the snapshot was saved, then the handler changed the session again.
        session["b"] = 2
        #expect(session.modified)
        _ = try await s.sessions.save(session)
        let key = try #require(session.key)
        #expect(try await s.sessions.load(cookie: key).data == ["a": 1, "b": 2])
    }

    // MARK: Stores

    @Test("create retries on a key collision and gives up on a broken generator")
    func collisions() async throws {
        let keys = ScriptedKeys(["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"])
        let store = MemorySessionStore(makeKey: { keys.next() })
        let record = SessionRecord(data: ["a": 1], expireDate: .distantFuture)
        #expect(try await store.create(record) == "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        #expect(try await store.create(record) == "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")

        let stuck = MemorySessionStore(makeKey: { "cccccccccccccccccccccccccccccccc" })
        _ = try await stuck.create(record)
        await #expect(throws: StoreError.unavailable("no unused session key was found")) { try await stuck.create(record) }
        let broken = MemorySessionStore(makeKey: { "NOT VALID" })
        await #expect(throws: StoreError.self) { try await broken.create(record) }
        #expect(await broken.count == 0)
    }

    @Test("generated keys are 32 characters of a-z0-9 and distinct")
    func generatedKeys() {
        let keys = (0..<1000).map { _ in SessionKey.generate() }
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { $0.count == 32 && SessionKey.isValid($0) })
        #expect(SessionKey.isValid("abcdefgh"))
        #expect(SessionKey.isValid(String(repeating: "0", count: 40)))
    }

    // MARK: Signed cookies

    @Test("signed-cookie sessions round-trip, and tampering or expiry gives an empty session")
    func signedCookies() async throws {
        let clock = ManualClock(Self.start)
        let sessions = SessionManager(
            signedCookies: SignedCookieSessionCodec(keys: try Self.keys()),
            configuration: SessionConfiguration(cookieAge: 3600, idleTimeout: nil, absoluteLifetime: nil),
            clock: clock
        )
        let session = try await sessions.load(cookie: nil)
        session["cart"] = [1, 2, 3]
        let cookie = try #require(try await sessions.save(session).action.setValue)
        #expect(session.key == cookie)
        #expect(try await sessions.clearExpired() == 0)

        clock.advance(by: 60)
        let loaded = try await sessions.load(cookie: cookie)
        #expect(loaded.data == ["cart": [1, 2, 3]])

        var tampered = Array(cookie)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
        for hostile in [String(tampered), cookie + "x", "", "short", String(repeating: "A", count: 5000), cookie.uppercased(), "é" + cookie] {
            let empty = try await sessions.load(cookie: hostile)
            #expect(empty.key == nil && empty.isEmpty)
            #expect(try await sessions.save(empty).action == .delete)
        }

        loaded.flush()
        #expect(try await sessions.save(loaded).action == .delete)

        clock.advance(by: 3540)
        #expect(try await sessions.load(cookie: cookie).key == nil, "older than the cookie age")
    }

    @Test("signed-cookie sessions: per-session expiry, idle timeout and absolute lifetime are checked on load")
    func signedCookieLimits() async throws {
        let clock = ManualClock(Self.start)
        let sessions = SessionManager(
            signedCookies: SignedCookieSessionCodec(keys: try Self.keys()),
            configuration: SessionConfiguration(idleTimeout: 600, absoluteLifetime: 1000),
            clock: clock
        )
        let session = try await sessions.load(cookie: nil)
        session["a"] = 1
        session.expiry = .afterInactivity(seconds: 300)
        var cookie = try #require(try await sessions.save(session).action.setValue)
        clock.advance(by: 300)
        #expect(try await sessions.load(cookie: cookie).key == nil)

        let second = try await sessions.load(cookie: nil)
        second["a"] = 1
        cookie = try #require(try await sessions.save(second).action.setValue)
        for _ in 0..<3 {
            clock.advance(by: 300)
            let loaded = try await sessions.load(cookie: cookie)
            #expect(loaded.key == cookie)
            cookie = try #require(try await sessions.save(loaded).action.setValue, "activity rewrites the cookie")
        }
        clock.advance(by: 100)
        #expect(try await sessions.load(cookie: cookie).key == nil, "1000 s after creation")
    }

    @Test("a zip-bomb cookie is refused without an error")
    func zipBombCookie() async throws {
        let bomb = try SigningFixtures.required().zip_bomb
        let clock = ManualClock(Date(timeIntervalSince1970: TimeInterval(bomb.timestamp)))
        let sessions = SessionManager(
            signedCookies: SignedCookieSessionCodec(keys: try SigningKeys(secretKey: bomb.secret_key)), clock: clock
        )
        let session = try await sessions.load(cookie: bomb.cookie)
        #expect(session.key == nil && session.isEmpty)
    }

    @Test("cookies signed with a fallback key are read and re-signed with the current key")
    func signedCookieFallbacks() async throws {
        let vector = try #require(try SigningFixtures.required().fallbacks.first { $0.kind == "cookie" })
        let clock = ManualClock(SigningFixtures.timestamp)
        let rotated = try SigningKeys(secretKey: vector.secret_key, fallbacks: vector.fallbacks)
        let sessions = SessionManager(signedCookies: SignedCookieSessionCodec(keys: rotated), configuration: .django, clock: clock)
        let session = try await sessions.load(cookie: vector.signed)
        #expect(session.key == vector.signed)
        let json = try #require(vector.json)
        #expect(session.data == (try SigningFixtures.object(json)))
        session["seen"] = true
        let cookie = try #require(try await sessions.save(session).action.setValue)
        let current = SignedCookieSessionCodec(keys: try SigningKeys(secretKey: vector.secret_key))
        #expect(try current.decode(cookie, now: clock.now(), maxAge: 60).data["seen"] == true)
    }
}
