import Foundation
import GatehouseHummingbird
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

// Gatehouse's middleware chain runs isolated to the event loop its task is on (`gatehouse` runs
// tasks on the event loops), so its steps and awaits continue on that loop without a hop. These
// tests hold the parts to that: the actor of a loop is found only on that loop, and a chain run
// isolated to it runs on the loop's thread, also after awaiting code that ran elsewhere.
@Suite("EventLoopIsolation: the middleware chain on its request's event loop")
struct EventLoopIsolationTests {
    @Test func thereIsNoneOffAnEventLoop() async throws {
        #expect(EventLoopIsolation.current == nil, "a test's task runs on the runtime's pool, not a loop")
        let thread = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: EventLoopIsolation.current == nil) }
        }
        #expect(thread)
    }

    @Test func eachLoopHasOneOfItsOwn() async throws {
        try await withLoops(2) { loops in
            func isolation(on loop: any EventLoop) async throws -> ObjectIdentifier? {
                try await loop.submit { EventLoopIsolation.current.map(ObjectIdentifier.init) }.get()
            }
            let once = try #require(try await isolation(on: loops[0]))
            #expect(try await isolation(on: loops[0]) == once, "one actor per loop, found again")
            let other = try #require(try await isolation(on: loops[1]))
            #expect(other != once)
        }
    }

    @Test func aChainRunIsolatedToALoopRunsOnItsThreadAcrossAwaits() async throws {
        try await withLoops(1) { loops in
            let loop = loops[0]
            let isolation = try #require(try await loop.submit { EventLoopIsolation.current }.get())
            #expect(!loop.inEventLoop, "the test calls from off the loop")
            let seen = Seen()
            let chain = InlineMiddlewarePair(first: Step(name: "outer", loop: loop, seen: seen), second: Step(name: "inner", loop: loop, seen: seen))
            let response = try await EventLoopIsolation.respond(chain, on: isolation, Self.request, context: Self.context()) { _, _ in
                seen.record("next", loop.inEventLoop)
                return Response(status: .accepted)
            }
            #expect(response.status == .accepted)
            #expect(seen.all == [
                .init("outer", true), .init("outer after a yield", true),
                .init("inner", true), .init("inner after a yield", true),
                .init("next", false),  // Hummingbird's: @concurrent, off the actor
                .init("inner after next", true), .init("outer after next", true),
            ])
        }
    }

    @Test func anErrorComesBackThroughTheLoopAndNextIsNotCalled() async throws {
        try await withLoops(1) { loops in
            let loop = loops[0]
            let isolation = try #require(try await loop.submit { EventLoopIsolation.current }.get())
            let seen = Seen()
            let chain = InlineMiddlewarePair(first: Step(name: "outer", loop: loop, seen: seen), second: Step(name: "inner", loop: loop, seen: seen, fails: true))
            await #expect(throws: HTTPError.self) {
                try await EventLoopIsolation.respond(chain, on: isolation, Self.request, context: Self.context()) { _, _ in
                    seen.record("next", loop.inEventLoop)
                    return Response(status: .ok)
                }
            }
            #expect(!seen.all.contains { $0.step == "next" })
            #expect(seen.all.last == .init("outer caught", true), "the outer step saw the error on the loop")
        }
    }

    @Test func withoutALoopTheChainRunsAsItIsAndCallsNextOnce() async throws {
        let seen = Seen()
        let chain = Step(name: "only", loop: nil, seen: seen)
        let response = try await EventLoopIsolation.respond(chain, on: nil, Self.request, context: Self.context()) { _, _ in
            seen.record("next", false)
            return Response(status: .noContent)
        }
        #expect(response.status == .noContent)
        #expect(seen.all.filter { $0.step == "next" }.count == 1)
    }

    static let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "example.com", path: "/"), body: .init(buffer: ByteBuffer()))

    static func context() -> BasicRequestContext {
        BasicRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
    }

    /// Runs `body` with a group of `count` loops, shut down afterwards whether `body` threw or not.
    func withLoops(_ count: Int, _ body: ([any EventLoop]) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: count)
        do {
            try await body(Array(group.makeIterator()))
        } catch {
            try await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }
}

/// A chain step that records where it runs, before and after awaiting, and may fail.
private struct Step: InlineMiddleware {
    let name: String
    let loop: (any EventLoop)?
    let seen: Seen
    var fails = false

    func respond(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        seen.record(name, loop?.inEventLoop ?? false)
        await Task.yield()
        seen.record("\(name) after a yield", loop?.inEventLoop ?? false)
        if fails { throw HTTPError(.serviceUnavailable) }
        do {
            let response = try await next(request, context)
            seen.record("\(name) after next", loop?.inEventLoop ?? false)
            return response
        } catch {
            seen.record("\(name) caught", loop?.inEventLoop ?? false)
            throw error
        }
    }
}

/// What ran where, in order.
private final class Seen: Sendable {
    struct Entry: Equatable, Sendable {
        let step: String
        let onLoop: Bool
        init(_ step: String, _ onLoop: Bool) { (self.step, self.onLoop) = (step, onLoop) }
    }

    private let entries = Mutex<[Entry]>([])
    var all: [Entry] { entries.withLock { $0 } }

    func record(_ step: String, _ onLoop: Bool) {
        entries.withLock { $0.append(Entry(step, onLoop)) }
    }
}
