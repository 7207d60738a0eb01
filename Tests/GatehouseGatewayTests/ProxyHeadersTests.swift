import GatehouseTestSupport
import HTTPTypes
import NIOCore
import Synchronization
import Testing

@testable import GatehouseGateway

@Suite("Proxy headers and upstream slots")
struct ProxyHeadersTests {
    static func upstream(_ client: HTTPFields, names: IdentityHeaderNames = IdentityHeaderNames(), address: String? = "203.0.113.7")
        -> [(String, String)]
    {
        ProxyHeaders.upstream(
            from: client, identityNames: names, withoutCookies: ["sessionid", "csrftoken"], clientAddress: address, isSecure: true,
            authority: "app.example"
        ).map { ($0.name, $0.value) }
    }

    @Test func everySpellingOfAnIdentityOrForwardingHeaderIsDropped() {
        var client = HTTPFields()
        let spoofed = [
            "X-Gatehouse-User", "x-gatehouse-user", "X_Gatehouse_User", "X-Gatehouse_User-Id", "X_GATEHOUSE_GROUPS", "x_gatehouse-groups",
            "Forwarded", "X-Real-IP", "X_Real_IP", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X_HTTP_Method_Override",
            "X-Forwarded-For", "X_Forwarded_For", "X-Forwarded-Host", "x_forwarded_proto", "X-Forwarded-Prefix", "True-Client-IP",
            "X-Original-URI", "X-Client-IP", "Remote-User",
        ]
        for name in spoofed { client.append(HTTPField(name: HTTPField.Name(name)!, value: "evil")) }
        client.append(HTTPField(name: HTTPField.Name("X-Request-Id")!, value: "kept"))
        client.append(HTTPField(name: HTTPField.Name("Accept_Language")!, value: "kept too"))
        let names = try! IdentityHeaderNames(user: "Remote-User", userID: "Remote-User-Id", groups: "Remote-Groups")
        let sent = Self.upstream(client, names: names)
        #expect(!sent.contains { $0.1 == "evil" }, "\(sent)")
        #expect(sent.contains { $0 == ("X-Request-Id", "kept") })
        #expect(sent.contains { $0 == ("Accept_Language", "kept too") }, "other headers pass as they are")
        #expect(sent.contains { $0 == ("Forwarded", "for=203.0.113.7;proto=https;host=\"app.example\"") }, "\(sent)")
        #expect(sent.contains { $0 == ("X-Forwarded-For", "203.0.113.7") })
        #expect(sent.filter { $0.0.lowercased() == "x-forwarded-for" }.count == 1)
        let v6 = Self.upstream([:], address: "2001:db8::1")
        #expect(v6.contains { $0 == ("Forwarded", "for=\"[2001:db8::1]\";proto=https;host=\"app.example\"") }, "\(v6)")
    }

    @Test func identityHeaderNamesMustDifferInEverySpelling() {
        #expect(throws: GatewayPolicyError.self) { try IdentityHeaderNames(user: "Remote-User", userID: "remote_user", groups: "G") }
        #expect(throws: GatewayPolicyError.self) { try IdentityHeaderNames(user: "bad name", userID: "I", groups: "G") }
    }

    @Test func gatehouseCookiesNeverPassInAnySpacing() {
        #expect(ProxyHeaders.cookieHeader("theme=dark; sessionid=abc; csrftoken=x", without: ["sessionid", "csrftoken"]) == "theme=dark")
        #expect(ProxyHeaders.cookieHeader("sessionid =abc;  csrftoken\t= x ;a=b", without: ["sessionid", "csrftoken"]) == "a=b")
        #expect(ProxyHeaders.cookieHeader("sessionid=abc", without: ["sessionid"]) == nil)
        #expect(ProxyHeaders.cookieHeader("sessionidx=1; xsessionid=2", without: ["sessionid"]) == "sessionidx=1; xsessionid=2")
        #expect(ProxyHeaders.setCookieName(" sessionid = v; Path=/") == "sessionid")
        #expect(ProxyHeaders.setCookieName("csrftoken=v") == "csrftoken")
    }

    @Test func slotsAreSharedFairlyAndWaitersTimeOut() async throws {
        let clock = ManualWaitTimer()
        let timer = clock.timer
        let slots = UpstreamSlots(loops: 2, limits: .init(perLoop: 2, perAddress: 2, perPath: 3))
        let a1 = try #require(await slots.acquire(address: "a", path: "/slow", timeout: .seconds(5), timer: timer))
        let a2 = try #require(await slots.acquire(address: "a", path: "/slow", timeout: .seconds(5), timer: timer))
        #expect(a1.loop != a2.loop, "the least busy loop is used")
        let b1 = try #require(await slots.acquire(address: "b", path: "/slow", timeout: .seconds(5), timer: timer))
        let c1 = try #require(await slots.acquire(address: "c", path: "/fast", timeout: .seconds(5), timer: timer))
        #expect(slots.held == 4, "every connection is in use")
        #expect(clock.scheduled == 0, "a request that gets a slot at once sets no deadline")
        async let a3 = slots.acquire(address: "a", path: "/other", timeout: .seconds(5), timer: timer)
        try await yieldUntil { clock.scheduled == 1 }
        async let d1 = slots.acquire(address: "d", path: "/fast", timeout: .seconds(5), timer: timer)
        try await yieldUntil { clock.scheduled == 2 }
        // A request waits for a connection, and gets none once its deadline passes.
        async let c2 = slots.acquire(address: "c", path: "/fast", timeout: .seconds(1), timer: timer)
        try await yieldUntil { clock.scheduled == 3 }
        #expect(slots.waiting == 3)
        clock.advance(by: .milliseconds(999))
        #expect(slots.waiting == 3, "no deadline has passed yet")
        clock.advance(by: .milliseconds(1))
        #expect(await c2 == nil)
        #expect(slots.waiting == 2 && clock.scheduled == 2)
        // A freed connection goes to the first waiter its share allows: a already holds two, so d.
        c1.end()
        let forD = await d1
        #expect(forD != nil)
        #expect(slots.waiting == 1, "a's request still waits")
        #expect(clock.scheduled == 1, "an admitted request's deadline is cancelled")
        b1.end()
        #expect(slots.waiting == 1, "a is still at its share, though a connection is free")
        a1.end()
        let forA = await a3
        #expect(forA != nil && slots.waiting == 0 && clock.scheduled == 0)
        a2.end()
        forD?.end()
        forA?.end()
        #expect(slots.held == 0)
        clock.advance(by: .seconds(10))
        #expect(clock.fired == 1, "only c's second request ran out of time")
    }

    @Test func aDeadlineThatFiresAfterItsWaiterGotASlotChangesNothing() async throws {
        // The timer may already be running when the waiter is admitted, too late to cancel.
        let clock = ManualWaitTimer(cancelArrivesTooLate: true)
        let slots = UpstreamSlots(loops: 1, limits: .init(perLoop: 1, perAddress: 10, perPath: 10))
        let first = try #require(await slots.acquire(address: "a", path: "/", timeout: .seconds(5), timer: clock.timer))
        async let second = slots.acquire(address: "b", path: "/", timeout: .seconds(5), timer: clock.timer)
        try await yieldUntil { slots.waiting == 1 && clock.scheduled == 1 }
        first.end()
        let admitted = await second
        #expect(admitted != nil && slots.held == 1)
        clock.advance(by: .seconds(5))
        #expect(clock.fired == 1)
        #expect(slots.held == 1 && slots.waiting == 0, "the admitted request keeps its slot")
        admitted?.end()
        #expect(slots.held == 0)
    }

    @Test func aTaskCancelledBeforeItWaitsDoesNotWait() async throws {
        let clock = ManualWaitTimer()
        let slots = UpstreamSlots(loops: 1, limits: .init(perLoop: 1, perAddress: 10, perPath: 10))
        let held = try #require(await slots.acquire(address: "a", path: "/", timeout: .seconds(5), timer: clock.timer))
        let done = Mutex(false)
        let waiting = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            let lease = await slots.acquire(address: "b", path: "/", timeout: .seconds(5), timer: clock.timer)
            done.withLock { $0 = true }
            return lease
        }
        // Without the check, it would wait out its five seconds, which this clock never reaches.
        try await yieldUntil(seconds: 10, "the cancelled request returns") { done.withLock { $0 } }
        #expect(await waiting.value == nil)
        #expect(slots.waiting == 0 && clock.scheduled == 0)
        held.end()
    }

    @Test func theCallersOwnLoopIsPreferredWhileItHasRoom() async throws {
        let timer = ManualWaitTimer().timer
        let slots = UpstreamSlots(loops: 2, limits: .init(perLoop: 2, perAddress: 10, perPath: 10))
        let first = try #require(await slots.acquire(address: "a", path: "/", timeout: .seconds(5), timer: timer, preferred: 1))
        let second = try #require(await slots.acquire(address: "a", path: "/", timeout: .seconds(5), timer: timer, preferred: 1))
        #expect(first.loop == 1 && second.loop == 1, "the request's own loop, though loop 0 is idle")
        let third = try #require(await slots.acquire(address: "a", path: "/", timeout: .seconds(5), timer: timer, preferred: 1))
        #expect(third.loop == 0, "a full loop sends the request to one with room")
        let fourth = try #require(await slots.acquire(address: "a", path: "/", timeout: .seconds(5), timer: timer, preferred: 7))
        #expect(fourth.loop == 0, "a loop that is not one of the proxy's counts as none")
        for lease in [first, second, third, fourth] { lease.end() }
        #expect(slots.held == 0)
    }

    @Test func onePathCannotTakeEveryConnection() async throws {
        let clock = ManualWaitTimer()
        let timer = clock.timer
        let slots = UpstreamSlots(loops: 1, limits: .init(perLoop: 4, perAddress: 10, perPath: 2))
        let first = await slots.acquire(address: "a", path: "/slow", timeout: .seconds(5), timer: timer)
        let second = await slots.acquire(address: "b", path: "/slow", timeout: .seconds(5), timer: timer)
        async let third = slots.acquire(address: "c", path: "/slow", timeout: .seconds(5), timer: timer)
        try await yieldUntil { clock.scheduled == 1 }
        let other = await slots.acquire(address: "a", path: "/fast", timeout: .seconds(5), timer: timer)
        #expect(first != nil && second != nil && other != nil, "another path is served at once")
        clock.advance(by: .seconds(5))
        #expect(await third == nil, "the third /slow request waited its deadline out")
    }

    @Test func aWaiterWhoseTaskIsCancelledLeavesAndCancelsItsDeadline() async throws {
        let clock = ManualWaitTimer()
        let slots = UpstreamSlots(loops: 1, limits: .init(perLoop: 1, perAddress: 10, perPath: 10))
        let held = try #require(await slots.acquire(address: "a", path: "/", timeout: .seconds(5), timer: clock.timer))
        let waiting = Task { await slots.acquire(address: "b", path: "/", timeout: .seconds(5), timer: clock.timer) }
        try await yieldUntil { clock.scheduled == 1 }
        waiting.cancel()
        #expect(await waiting.value == nil)
        #expect(slots.waiting == 0 && clock.scheduled == 0)
        held.end()
        #expect(slots.held == 0)
    }

    @Test func aDroppedLeaseGivesItsSlotBack() async throws {
        let timer = ManualWaitTimer().timer
        let slots = UpstreamSlots(loops: 1, limits: .init(perLoop: 1, perAddress: 1, perPath: 1))
        do {
            let lease = await slots.acquire(address: "a", path: "/", timeout: .seconds(1), timer: timer)
            #expect(lease != nil && slots.held == 1)
        }
        #expect(slots.held == 0, "the client went away: the slot is free again")
    }
}

/// A ``WaitTimer`` whose time moves only when a test moves it. With `cancelArrivesTooLate`, a
/// cancel does nothing, as when the timer has started to fire before the cancel.
private final class ManualWaitTimer: Sendable {
    private struct Entry {
        let id: Int
        let due: Int64
        let expire: @Sendable () -> Void
    }

    private struct State {
        var now: Int64 = 0
        var nextID = 0
        var entries: [Entry] = []
        var fired = 0
    }

    private let state = Mutex(State())
    private let cancelArrivesTooLate: Bool

    init(cancelArrivesTooLate: Bool = false) {
        self.cancelArrivesTooLate = cancelArrivesTooLate
    }

    var timer: WaitTimer {
        WaitTimer { [self] delay, expire in
            let id = state.withLock { state in
                state.nextID += 1
                state.entries.append(Entry(id: state.nextID, due: state.now + delay.nanoseconds, expire: expire))
                return state.nextID
            }
            return WaitTimer.Scheduled { [self] in
                guard !cancelArrivesTooLate else { return }
                state.withLock { $0.entries.removeAll { $0.id == id } }
            }
        }
    }

    /// Deadlines set and neither passed nor cancelled.
    var scheduled: Int { state.withLock { $0.entries.count } }
    /// Expiries run.
    var fired: Int { state.withLock { $0.fired } }

    /// Moves time on and runs every expiry now due, outside the lock.
    func advance(by amount: TimeAmount) {
        let due = state.withLock { state -> [Entry] in
            state.now += amount.nanoseconds
            let now = state.now
            let due = state.entries.filter { $0.due <= now }
            state.entries.removeAll { $0.due <= now }
            state.fired += due.count
            return due
        }
        for entry in due { entry.expire() }
    }
}
