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
// tests hold the parts to that: the actor of a loop is found only on that loop, and what runs
// isolated to it runs on the loop's thread, also after awaiting code that ran elsewhere.
@Suite("EventLoopIsolation: the middleware chain on its request's event loop")
struct EventLoopIsolationTests {
    @Test func thereIsNoneOffAnEventLoop() async throws {
        #expect(EventLoopIsolation.current == nil, "a test's task runs on the runtime's pool, not a loop")
        let thread = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: EventLoopIsolation.current == nil) }
        }
        #expect(thread)
    }

    @Test func eachLoopHasOneOfItsOwn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { Task { try await group.shutdownGracefully() } }
        let loops = Array(group.makeIterator())
        let first = loops[0], second = loops[1]
        func isolation(on loop: any EventLoop) async throws -> ObjectIdentifier? {
            try await loop.submit { EventLoopIsolation.current.map(ObjectIdentifier.init) }.get()
        }
        let once = try #require(try await isolation(on: first))
        #expect(try await isolation(on: first) == once, "one actor per loop, found again")
        let other = try #require(try await isolation(on: second))
        #expect(other != once)
    }

    @Test func whatRunsIsolatedToALoopRunsOnItsThreadAcrossAwaits() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { try await group.shutdownGracefully() } }
        let loop = group.next()
        let isolation = try #require(try await loop.submit { EventLoopIsolation.current }.get())
        #expect(!loop.inEventLoop, "the test calls from off the loop")
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "example.com", path: "/"), body: .init(buffer: ByteBuffer()))
        let context = BasicRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        let seen = Seen()
        let next: @concurrent (Request, BasicRequestContext) async throws -> Response = { _, _ in
            seen.record("next", loop.inEventLoop)
            return Response(status: .accepted)
        }
        let response = try await isolation.run(request, context, LoopBoundNext(next)) { request, context, next in
            seen.record("entry", loop.inEventLoop)
            await Task.yield()
            seen.record("after a yield", loop.inEventLoop)
            let response = try await next(request, context)
            seen.record("after next", loop.inEventLoop)
            return response
        }
        #expect(response.status == .accepted)
        #expect(seen.all == [("entry", true), ("after a yield", true), ("next", false), ("after next", true)].map(Seen.Entry.init))
    }
}

/// What ran where, in order.
private final class Seen: Sendable {
    struct Entry: Equatable, Sendable {
        let step: String
        let onLoop: Bool
        init(_ pair: (String, Bool)) { (step, onLoop) = pair }
    }

    private let entries = Mutex<[Entry]>([])
    var all: [Entry] { entries.withLock { $0 } }

    func record(_ step: String, _ onLoop: Bool) {
        entries.withLock { $0.append(Entry((step, onLoop))) }
    }
}
