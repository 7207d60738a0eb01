import Foundation
@testable import Gatehouse
import GatehouseTesting
import Logging
import Synchronization
import Testing

/// Failed-login throttling in the domain, on a manual clock: nothing sleeps.
@Suite("Login throttling")
struct LoginThrottleTests {
    static let pool = PasswordHashingPool(numberOfThreads: 2, maximumQueued: 1_000)
    static let password = "s3cret-pass"
    let store: any AuthStore = MemoryAuthStore()
    let counter = CountingHasher()
    let clock = ManualClock()
    let failures = MemoryLoginFailureStore()
    let alice = RequestFacts(remoteAddress: "203.0.113.9")
    let elsewhere = RequestFacts(remoteAddress: "198.51.100.20")

    var hashers: PasswordHashers { PasswordHashers(preferred: counter, pool: Self.pool) }
    var authenticator: Authenticator { Authenticator(backends: [ModelBackend(store: store, hashers: hashers)]) }

    func throttle(
        _ configuration: LoginThrottleConfiguration = LoginThrottleConfiguration(),
        events: AuthenticationEvents = AuthenticationEvents(),
        logger: Logger = Logger(label: "test.throttle") { _ in SwiftLogNoOpLogHandler() }
    ) -> LoginThrottle {
        LoginThrottle(configuration: configuration, store: failures, clock: clock, events: events, logger: logger)
    }

    func makeAlice() async throws {
        _ = try await store.insertUser(NewUser(username: "alice", password: try await hashers.makePassword(Self.password), dateJoined: Date()))
        counter.reset()
    }

    func attempt(_ throttle: LoginThrottle, _ username: String = "alice", _ password: String = "wrong", from facts: RequestFacts)
        async throws -> LoginAttemptOutcome
    {
        try await throttle.authenticate(Credentials(username: username, password: password), request: facts, using: authenticator)
    }

    static func isLocked(_ outcome: LoginAttemptOutcome) -> LoginLock? {
        if case .locked(let lock) = outcome { return lock }
        return nil
    }

    static func isFailed(_ outcome: LoginAttemptOutcome) -> Bool {
        if case .failed = outcome { return true }
        return false
    }

    static func isAuthenticated(_ outcome: LoginAttemptOutcome) -> Bool {
        if case .authenticated = outcome { return true }
        return false
    }

    @Test func fiveFailuresLockTheUsernameAndAddressBeforeAnyHashAndEvenTheRightPasswordIsRefused() async throws {
        try await makeAlice()
        let throttle = throttle()
        for _ in 0..<5 {
            #expect(Self.isFailed(try await attempt(throttle, from: alice)))
            clock.advance(by: 10)
        }
        #expect(counter.hashes == 5)
        let lock = try #require(Self.isLocked(try await attempt(throttle, "alice", Self.password, from: alice)))
        #expect(counter.hashes == 5, "no hash while locked")
        #expect(lock.key == .usernameAndAddress(username: "alice", address: "203.0.113.9"))
        #expect(lock.failures == 5 && lock.limit == 5)
        // The oldest of the five failed 50 s ago: the lock lifts 900 s after it.
        #expect(lock.retryAfterSeconds(now: clock.now()) == 850)
    }

    @Test func theLockLiftsWhenItsFailuresLeaveTheWindow() async throws {
        try await makeAlice()
        let throttle = throttle()
        for _ in 0..<5 { _ = try await attempt(throttle, from: alice) }
        clock.advance(by: 899)
        #expect(Self.isLocked(try await attempt(throttle, "alice", Self.password, from: alice)) != nil)
        clock.advance(by: 1)
        #expect(Self.isAuthenticated(try await attempt(throttle, "alice", Self.password, from: alice)))
        #expect(try await throttle.currentLock(username: "alice", address: "203.0.113.9") == nil)
    }

    @Test func aLockOnOneAddressDoesNotBlockTheSameUserFromAnotherAddress() async throws {
        try await makeAlice()
        let throttle = throttle()
        for _ in 0..<5 { _ = try await attempt(throttle, from: alice) }
        #expect(Self.isLocked(try await attempt(throttle, "alice", Self.password, from: alice)) != nil)
        #expect(Self.isAuthenticated(try await attempt(throttle, "alice", Self.password, from: elsewhere)))
    }

    @Test func thirtyFailuresFromOneAddressLockItForEveryUsername() async throws {
        try await makeAlice()
        let throttle = throttle()
        for index in 0..<30 {
            #expect(Self.isFailed(try await attempt(throttle, "user\(index)", from: alice)))
        }
        let lock = try #require(Self.isLocked(try await attempt(throttle, "alice", Self.password, from: alice)))
        #expect(lock.key == .address("203.0.113.9") && lock.limit == 30)
        #expect(Self.isAuthenticated(try await attempt(throttle, "alice", Self.password, from: elsewhere)))
    }

    @Test func aHundredFailuresOfOneUsernameLockItFromEveryAddress() async throws {
        try await makeAlice()
        let throttle = throttle()
        for index in 0..<100 {
            let from = RequestFacts(remoteAddress: "10.0.\(index / 4).\(index % 4)")
            #expect(Self.isFailed(try await attempt(throttle, from: from)))
        }
        let hashes = counter.hashes
        let lock = try #require(Self.isLocked(try await attempt(throttle, "alice", Self.password, from: elsewhere)))
        #expect(lock.key == .username("alice") && lock.limit == 100)
        #expect(counter.hashes == hashes)
        #expect(Self.isAuthenticated(try await attempt(throttle, "bob-is-unknown", Self.password, from: elsewhere)) == false)
    }

    @Test func realAndUnknownUsernamesAreLockedAlike() async throws {
        try await makeAlice()
        let throttle = throttle()
        for _ in 0..<5 {
            _ = try await attempt(throttle, "alice", from: alice)
            _ = try await attempt(throttle, "mallory", from: elsewhere)
        }
        let real = try #require(Self.isLocked(try await attempt(throttle, "alice", from: alice)))
        let unknown = try #require(Self.isLocked(try await attempt(throttle, "mallory", from: elsewhere)))
        #expect(real.failures == unknown.failures && real.until == unknown.until && real.limit == unknown.limit)
        #expect(counter.hashes == 10, "one hash per failure, none while locked")
    }

    @Test func spacesCaseAndWidthDoNotMakeANewKey() async throws {
        try await makeAlice()
        let throttle = throttle()
        for variant in ["alice", "alice ", " ALICE", "Ａｌｉｃｅ", "alice\t"] {
            _ = try await attempt(throttle, variant, from: alice)
        }
        #expect(Self.isLocked(try await attempt(throttle, "alice", Self.password, from: alice)) != nil)
        #expect(LoginFailureKey.normalizedUsername(" Ａlice\u{200B}\n") == "alice")
    }

    @Test func addressesAreNormalizedAndIPv6CountsPerSlash64() {
        #expect(LoginFailureKey.normalizedAddress("203.0.113.9") == "203.0.113.9")
        #expect(LoginFailureKey.normalizedAddress(" 203.0.113.9 ") == "203.0.113.9")
        #expect(LoginFailureKey.normalizedAddress("::ffff:203.0.113.9") == "203.0.113.9")
        #expect(LoginFailureKey.normalizedAddress("2001:DB8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(LoginFailureKey.normalizedAddress("[2001:db8:1:2::ffff]") == "2001:db8:1:2::/64")
        #expect(LoginFailureKey.normalizedAddress("fe80::1%eth0") == "fe80::/64")
        #expect(LoginFailureKey.normalizedAddress(nil) == "")
        #expect(LoginFailureKey.normalizedAddress("unix-socket") == "unix-socket")
    }

    @Test func aSuccessClearsOnlyItsUsernameAndAddress() async throws {
        try await makeAlice()
        let throttle = throttle()
        for _ in 0..<4 { _ = try await attempt(throttle, from: alice) }
        #expect(Self.isAuthenticated(try await attempt(throttle, "alice", Self.password, from: alice)))
        let since = clock.now() - 900
        #expect(try await failures.failures(for: .usernameAndAddress(username: "alice", address: "203.0.113.9"), since: since, nthNewest: 5).count == 0)
        #expect(await failures.failures(for: .address("203.0.113.9"), since: since, nthNewest: 30).count == 0)
        // Four more failures do not lock: the count started again.
        for _ in 0..<4 { _ = try await attempt(throttle, from: alice) }
        #expect(try await throttle.currentLock(username: "alice", address: "203.0.113.9") == nil)
    }

    @Test func everyNewLockIsLoggedOnceAtNoticeAndEmitted() async throws {
        try await makeAlice()
        let capture = LogCapture()
        let locks = LockedBox<[LoginLock]>([])
        let events = AuthenticationEvents { event in
            if case .loginLocked(let lock, _) = event { locks.update { $0.append(lock) } }
        }
        let throttle = throttle(
            LoginThrottleConfiguration(usernameAndAddressLimit: 3, addressLimit: 4), events: events, logger: capture.logger("test.capture")
        )
        for _ in 0..<3 { _ = try await attempt(throttle, "eve\nFAKE LINE", "hunter2-secret", from: alice) }
        _ = try await attempt(throttle, "bob", "hunter2-secret", from: alice)
        for _ in 0..<3 { _ = try await attempt(throttle, "bob", "hunter2-secret", from: alice) }
        #expect(locks.value.map(\.key.kind) == [.usernameAndAddress, .address])
        let notices = capture.all.filter { $0.level == .notice }
        #expect(notices.count == 2)
        // The counted form of the username has no control character left: one log line, whatever was typed.
        #expect(notices.first?.metadata["username"] == "eve\u{FFFD}fake line", "\(notices.map(\.text))")
        #expect(capture.all.allSatisfy { !$0.text.contains("\n") })
        #expect(notices.allSatisfy { $0.metadata["address"] == "203.0.113.9" })
        #expect(capture.all.allSatisfy { !$0.text.contains("hunter2") })
    }

    @Test func countingOffChecksEveryAttempt() async throws {
        try await makeAlice()
        let throttle = throttle(LoginThrottleConfiguration(isEnabled: false))
        for _ in 0..<10 { #expect(Self.isFailed(try await attempt(throttle, from: alice))) }
        #expect(Self.isAuthenticated(try await attempt(throttle, "alice", Self.password, from: alice)))
        #expect(await failures.count == 0)
    }

    @Test func oldFailuresArePrunedWhenNewOnesAreRecorded() async throws {
        let throttle = throttle()
        for _ in 0..<3 { _ = try await attempt(throttle, "someone", from: alice) }
        clock.advance(by: 901)
        _ = try await attempt(throttle, "someone", from: alice)
        #expect(await failures.count == 1)
    }

    @Test func aFailingStoreRefusesTheLoginInsteadOfCheckingWithoutLimits() async throws {
        try await makeAlice()
        struct BrokenStore: LoginFailureStore {
            struct Down: Error {}
            func recordFailure(username: String, address: String, at date: Date, pruningBefore cutoff: Date) async throws { throw Down() }
            func failures(for key: LoginFailureKey, since: Date, nthNewest: Int) async throws -> LoginFailureWindow { throw Down() }
            func failureGroups(_ kind: LoginFailureKey.Kind, since: Date) async throws -> [LoginFailureGroup] { throw Down() }
            func deleteFailures(username: String?, address: String?) async throws -> Int { throw Down() }
        }
        let throttle = LoginThrottle(store: BrokenStore(), clock: clock, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        await #expect(throws: LoginThrottleError.storeUnavailable) {
            _ = try await throttle.authenticate(Credentials(username: "alice", password: Self.password), request: alice, using: authenticator)
        }
        #expect(counter.hashes == 0)
    }

    @Test func reportListsEveryKeyAndItsLock() async throws {
        let throttle = throttle()
        for _ in 0..<5 { _ = try await attempt(throttle, "alice", from: alice) }
        _ = try await attempt(throttle, "bob", from: elsewhere)
        let report = try await throttle.report()
        #expect(report.count == 6)
        let locked = report.filter { $0.lock != nil }
        #expect(locked.map(\.group.key) == [.usernameAndAddress(username: "alice", address: "203.0.113.9")])
        #expect(report.first?.group.key == .usernameAndAddress(username: "alice", address: "203.0.113.9"))
    }
}

/// Per-address turns at the hashing pool.
@Suite("Login check slots")
struct LoginCheckSlotsTests {
    /// Something the test opens by hand, as a stand-in for a slow hash.
    actor Gate {
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private(set) var arrived = 0
        private var open = false
        func wait() async {
            arrived += 1
            if open { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func openAll() {
            open = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    @Test func oneAddressGetsTwoTurnsAndSixteenWaitersOthersAreNotHeldUp() async throws {
        let slots = LoginCheckSlots(concurrent: 2, waiting: 16)
        let gate = Gate()
        let running = LockedBox(0)
        let most = LockedBox(0)
        let refused = LockedBox(0)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await slots.withSlot(address: "a") {
                        let now = running.update { $0 += 1; return $0 }
                        most.update { $0 = max($0, now) }
                        await gate.wait()
                        running.update { $0 -= 1 }
                        return true
                    } ?? { refused.update { $0 += 1 }; return false }()
                }
            }
            // Wait until the two running checks hold their turns.
            while await gate.arrived < 2 { await Task.yield() }
            // Another address is not held up by the busy one.
            #expect(try await slots.withSlot(address: "b") { true } == true)
            // Every one of the forty has arrived: running, waiting or refused.
            while slots.load(address: "a").waiting + refused.value < 38 { await Task.yield() }
            #expect(slots.load(address: "a").running == 2 && slots.load(address: "a").waiting == 16)
            await gate.openAll()
            var ran = 0
            for try await result in group where result { ran += 1 }
            #expect(ran == 18, "2 running and 16 waiting ran; 22 were refused")
        }
        #expect(most.value == 2)
        #expect(slots.busyAddresses == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let slots = LoginCheckSlots(concurrent: 1, waiting: 4)
        let gate = Gate()
        let first = Task { try await slots.withSlot(address: "a") { await gate.wait() } }
        while await gate.arrived < 1 { await Task.yield() }
        let second = Task { try await slots.withSlot(address: "a") { () } }
        await Task.yield()
        second.cancel()
        await #expect(throws: LoginThrottleError.cancelled) { try await second.value }
        await gate.openAll()
        _ = try await first.value
        #expect(slots.busyAddresses == 0)
    }
}

/// A value shared with closures that run concurrently.
final class LockedBox<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    @discardableResult
    func update<T: Sendable>(_ body: (inout Value) -> T) -> T { storage.withLock { body(&$0) } }
}
