package import Hummingbird
import NIOCore
import NIOPosix

/// The event loop the current thread runs, as an actor: Gatehouse's middleware chain runs isolated
/// to it, so the chain's steps and the awaits inside them continue on the loop without an executor
/// hop.
///
/// With SwiftNIO's event loops as Swift concurrency's executor (what `gatehouse` installs), a task
/// runs every job isolated to its loop, and entering or coming back to nonisolated code queues the
/// task on the loop again (about 90 jobs for one authorized request). Nonisolated code that
/// inherits its caller's isolation (this package builds with `NonisolatedNonsendingByDefault`) and
/// is called from an actor on that same loop continues inline instead. Off an event loop (the
/// runtime's own thread pool, `GATEHOUSE_EXECUTOR=swift`, and tests) there is none, and the chain
/// runs as before.
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
        if let known = perThread.currentValue { return known }
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop as? any NIOSerialEventLoopExecutor else { return nil }
        let isolation = EventLoopIsolation(loop: loop)
        perThread.currentValue = isolation
        return isolation
    }

    /// Runs `body` isolated to this loop: what it awaits without `@concurrent` stays on the loop.
    package func run<Context: RequestContext>(
        _ request: Request,
        _ context: Context,
        _ next: LoopBoundNext<Context>,
        _ body: @escaping @Sendable (Request, Context, (Request, Context) async throws -> Response) async throws -> Response
    ) async throws -> Response {
        try await body(request, context, next.call)
    }

    /// Runs `chain` isolated to this loop.
    package func run<Chain: InlineMiddleware>(
        _ chain: Chain, _ request: Request, _ context: Chain.Context, _ next: LoopBoundNext<Chain.Context>
    ) async throws -> Response {
        try await chain.respond(request, context: context, next: next.call)
    }
}

/// Hummingbird's `next` for a request, carried onto the loop's actor: the task that holds it is the
/// one that runs it, on the thread it came from (the actor's executor is that thread's loop).
package struct LoopBoundNext<Context: RequestContext>: @unchecked Sendable {
    package let call: @concurrent (Request, Context) async throws -> Response

    package init(_ call: @escaping @concurrent (Request, Context) async throws -> Response) {
        self.call = call
    }
}
