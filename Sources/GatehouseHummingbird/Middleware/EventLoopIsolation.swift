package import Hummingbird
import NIOCore
import NIOPosix

/// The event loop the current thread runs, as an actor: Gatehouse's middleware chain runs isolated
/// to it, so the chain's steps and the awaits inside them continue on the loop without an executor
/// hop.
///
/// With SwiftNIO's event loops as Swift concurrency's executor (what `gatehouse` installs), a task
/// runs every job isolated to its loop, and entering or coming back to `@concurrent` code queues the
/// task on the loop again (89 jobs for one authorized request through `serve --policy` before the
/// chain ran here, 44 after, in one count; docs/benchmarks.md). Code that inherits its caller's
/// isolation (this package builds with `NonisolatedNonsendingByDefault`) and is called from an actor
/// on that same loop continues inline instead. Off an event loop (the runtime's own thread pool,
/// `GATEHOUSE_EXECUTOR=swift`, tests, and apps that keep Hummingbird's defaults) there is none, and
/// the chain runs as before.
package actor EventLoopIsolation {
    private nonisolated let loop: any NIOSerialEventLoopExecutor

    package nonisolated var unownedExecutor: UnownedSerialExecutor {
        loop.asUnownedSerialExecutor()
    }

    private init(loop: any NIOSerialEventLoopExecutor) {
        self.loop = loop
    }

    private static let perThread = ThreadSpecificVariable<EventLoopIsolation>()

    /// The actor of the event loop running this thread, or nil when this thread is not one.
    package static var current: EventLoopIsolation? {
        // A thread may stop being a loop (`withCurrentThreadAsEventLoop` returns): ask again then.
        if let known = perThread.currentValue, known.loop.inEventLoop { return known }
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop as? any NIOSerialEventLoopExecutor else { return nil }
        let isolation = EventLoopIsolation(loop: loop)
        perThread.currentValue = isolation
        return isolation
    }

    /// Runs `chain` for one request: isolated to `isolation` when there is one (what the chain
    /// awaits without `@concurrent` then continues on that loop), and as it is otherwise. `next` is
    /// Hummingbird's: it runs off the actor, and the chain continues on the loop after it.
    @concurrent package static func respond<Chain: InlineMiddleware>(
        _ chain: Chain,
        on isolation: EventLoopIsolation?,
        _ request: Request,
        context: Chain.Context,
        next: @concurrent (Request, Chain.Context) async throws -> Response
    ) async throws -> Response {
        guard let isolation else { return try await chain.respond(request, context: context, next: next) }
        return try await withoutActuallyEscaping(next) { next in
            try await isolation.run(chain, request, context, HandlerNext(call: next))
        }
    }

    private func run<Chain: InlineMiddleware>(
        _ chain: Chain, _ request: Request, _ context: Chain.Context, _ next: HandlerNext<Chain.Context>
    ) async throws -> Response {
        try await chain.respond(request, context: context, next: next.call)
    }
}

/// Hummingbird's `next` for one request, carried into the loop's actor. Only the task waiting in
/// ``EventLoopIsolation/respond(_:on:_:context:next:)`` calls it, one call at a time, and it is not
/// kept past that call (`withoutActuallyEscaping`; ``InlineMiddleware``'s `next` is neither escaping
/// nor `Sendable`, so no step can keep it or hand it to another task).
private struct HandlerNext<Context: RequestContext>: @unchecked Sendable {
    let call: @concurrent (Request, Context) async throws -> Response
}
