import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Whether the process runs Swift concurrency's jobs on SwiftNIO's event loops
/// (`NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`)
/// instead of on the runtime's own thread pool.
///
/// Every request `serve` answers is a task. On the runtime's pool, each one crosses from an event
/// loop thread (the socket) to a pool thread (the handler) and back, a futex wake-up and a context
/// switch each way; on the benchmark machine that was about a fifth of the binary's CPU per request
/// (docs/benchmarks.md). On the event loops, a request's task stays on its connection's thread.
///
/// What this asks of the code: nothing may hold a task's thread for long, since it is also an
/// event loop. Password hashing runs on its own threads (`PasswordHashingPool`), SQLite statements on
/// sqlite-nio's thread pool (the session reader's point read on the calling thread never waits for
/// a lock), and nothing in Gatehouse waits on a future synchronously. `GATEHOUSE_EXECUTOR=swift`
/// keeps the runtime's pool (to compare, or should a dependency ever break that rule).
enum EventLoopExecutor {
    private static let adopted = Atomic<Bool>(false)

    /// Whether the event loops run the process's tasks.
    static var isAdopted: Bool { adopted.load(ordering: .relaxed) }

    /// What the `serve` start line says: `event-loops` or `swift`.
    static var name: String { isAdopted ? "event-loops" : "swift" }

    /// Installs the event loops as the global executor unless `GATEHOUSE_EXECUTOR=swift`. Called
    /// from the executable's top-level code on the main thread, before its first `await`.
    static func adoptUnlessDisabled(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard environment["GATEHOUSE_EXECUTOR"]?.lowercased() != "swift" else { return }
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
            adopted.store(true, ordering: .relaxed)
        }
    }
}
