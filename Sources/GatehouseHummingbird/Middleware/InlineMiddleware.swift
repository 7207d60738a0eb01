package import Hummingbird

/// A middleware step that runs on its caller's executor: the steps of Gatehouse's middleware call
/// each other without an executor hop.
///
/// Hummingbird's `MiddlewareProtocol.handle` and its `next` closure are `@concurrent`. With tasks on
/// SwiftNIO's event loops (what `gatehouse` installs), entering such a function, and coming back to
/// one after an await, queues the task on its loop again to resume on the loop's next turn. Gatehouse's
/// own middleware implement ``respond(_:context:next:)``, which inherits its caller's isolation (this
/// package builds with `NonisolatedNonsendingByDefault`); ``InlineMiddlewareBuilder`` chains them into
/// one Hummingbird middleware that runs the chain isolated to the request's event loop
/// (``EventLoopIsolation``). Their public `handle` calls `respond`, for anyone who adds one to a router
/// alone.
package protocol InlineMiddleware<Context>: Sendable {
    associatedtype Context: RequestContext
    func respond(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
}

/// Two ``InlineMiddleware`` steps, the first outermost.
package struct InlineMiddlewarePair<First: InlineMiddleware, Second: InlineMiddleware>: InlineMiddleware where First.Context == Second.Context {
    let first: First
    let second: Second

    package init(first: First, second: Second) {
        self.first = first
        self.second = second
    }

    package func respond(_ request: Request, context: First.Context, next: (Request, First.Context) async throws -> Response) async throws -> Response {
        try await first.respond(request, context: context) { request, context in
            try await second.respond(request, context: context, next: next)
        }
    }
}

/// A step that may be absent (then requests go straight on).
package struct OptionalInlineMiddleware<Wrapped: InlineMiddleware>: InlineMiddleware {
    let wrapped: Wrapped?

    package func respond(_ request: Request, context: Wrapped.Context, next: (Request, Wrapped.Context) async throws -> Response) async throws -> Response {
        guard let wrapped else { return try await next(request, context) }
        return try await wrapped.respond(request, context: context, next: next)
    }
}

/// Builds a chain of ``InlineMiddleware``, outermost first.
@resultBuilder
package enum InlineMiddlewareBuilder<Context: RequestContext> {
    package static func buildExpression<M: InlineMiddleware>(_ middleware: M) -> M where M.Context == Context {
        middleware
    }

    package static func buildPartialBlock<M: InlineMiddleware>(first: M) -> M {
        first
    }

    package static func buildPartialBlock<First: InlineMiddleware, Second: InlineMiddleware>(
        accumulated first: First, next second: Second
    ) -> InlineMiddlewarePair<First, Second> {
        InlineMiddlewarePair(first: first, second: second)
    }

    package static func buildOptional<M: InlineMiddleware>(_ middleware: M?) -> OptionalInlineMiddleware<M> {
        OptionalInlineMiddleware(wrapped: middleware)
    }
}

/// An ``InlineMiddleware`` chain as one Hummingbird middleware, run isolated to the request's event
/// loop when its task is on one.
package struct InlineMiddlewareStack<Chain: InlineMiddleware>: RouterMiddleware {
    package typealias Context = Chain.Context
    let chain: Chain

    package init(_ chain: Chain) {
        self.chain = chain
    }

    @concurrent package func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        try await EventLoopIsolation.respond(chain, on: .current, request, context: context, next: next)
    }
}
