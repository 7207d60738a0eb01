import Foundation
import NIOPosix
import Synchronization

/// A fixed set of threads for password hashing, with a bounded queue in front of it.
///
/// Hashes take hundreds of milliseconds of CPU each. Running them on Swift's cooperative pool would
/// stall every other task during a burst of logins; here they run on their own threads, and once
/// ``maximumQueued`` jobs are already waiting, new jobs fail at once with ``PasswordError/busy``
/// instead of piling up (answer 503 and let clients retry).
///
/// ```swift
/// let pool = PasswordHashingPool(numberOfThreads: 2, maximumQueued: 32)
/// let hashers = PasswordHashers(pool: pool)
/// // ...
/// await pool.shutdown()
/// ```
public final class PasswordHashingPool: Sendable {
    /// A pool with one thread per core and ``defaultMaximumQueued(numberOfThreads:)`` waiting jobs,
    /// started on first use and never shut down.
    ///
    /// ```swift
    /// let hashers = PasswordHashers(pool: .shared)
    /// ```
    public static let shared = PasswordHashingPool()

    /// The default queue bound: 32 waiting jobs per thread. With PBKDF2 at Django's cost (about
    /// 0.15 s per hash in a release build) that caps the wait for a thread at roughly 5 s.
    ///
    /// ```swift
    /// PasswordHashingPool.defaultMaximumQueued(numberOfThreads: 2)   // 64
    /// ```
    public static func defaultMaximumQueued(numberOfThreads: Int) -> Int {
        32 * numberOfThreads
    }

    /// Threads running jobs.
    public let numberOfThreads: Int
    /// Jobs that may wait for a thread before new ones are refused.
    public let maximumQueued: Int

    private let threads: NIOThreadPool
    /// Jobs accepted and not yet finished (running plus waiting).
    private let inFlight = Mutex(0)

    /// Creates and starts a pool.
    ///
    /// ```swift
    /// let pool = PasswordHashingPool(numberOfThreads: 4)
    /// ```
    ///
    /// - Parameters:
    ///   - numberOfThreads: threads to run jobs on; defaults to the number of active cores. At least 1.
    ///   - maximumQueued: jobs that may wait; defaults to ``defaultMaximumQueued(numberOfThreads:)``.
    public init(numberOfThreads: Int? = nil, maximumQueued: Int? = nil) {
        let count = max(1, numberOfThreads ?? ProcessInfo.processInfo.activeProcessorCount)
        self.numberOfThreads = count
        self.maximumQueued = max(0, maximumQueued ?? Self.defaultMaximumQueued(numberOfThreads: count))
        self.threads = NIOThreadPool(numberOfThreads: count)
        self.threads.start()
    }

    /// Jobs accepted and not yet finished, running or waiting.
    ///
    /// ```swift
    /// metrics.gauge("password_jobs", pool.pendingJobs)
    /// ```
    public var pendingJobs: Int {
        inFlight.withLock { $0 }
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    ///
    /// ```swift
    /// let ok = try await pool.run { hasher.verify(password: password, encoded: encoded) }
    /// ```
    ///
    /// - Throws: ``PasswordError/busy`` at once when ``maximumQueued`` jobs are already waiting,
    ///   ``PasswordError/cancelled`` when the calling task is cancelled before `body` starts,
    ///   ``PasswordError/poolShutDown`` after ``shutdown()``, and whatever `body` throws.
    public func run<Result: Sendable>(
        _ body: @escaping @Sendable () throws(PasswordError) -> Result
    ) async throws(PasswordError) -> Result {
        let capacity = numberOfThreads + maximumQueued
        let running = numberOfThreads
        let metrics = DomainMetrics.shared
        let accepted = inFlight.withLock { count -> Bool in
            guard count < capacity else { return false }
            count += 1
            if count > running { metrics.setHashingQueueDepth(count - running) }
            return true
        }
        guard accepted else {
            metrics.countHashingRefused()
            throw .busy
        }
        defer {
            inFlight.withLock { count in
                count -= 1
                if count >= running { metrics.setHashingQueueDepth(count - running) }
            }
        }
        do {
            return try await threads.runIfActive { () throws -> Result in try body() }
        } catch let error as PasswordError {
            throw error
        } catch is CancellationError {
            // The thread pool cancels queued work both for a cancelled task and when it shuts down.
            throw Task.isCancelled ? .cancelled : .poolShutDown
        } catch {
            throw .poolShutDown
        }
    }

    /// Stops the threads: running jobs finish, waiting ones fail with ``PasswordError/cancelled``, and
    /// later ``run(_:)`` calls throw ``PasswordError/poolShutDown``. Returns when the threads have
    /// exited. Do not shut down ``shared``. A pool that is released without this call stops its
    /// threads in the background.
    ///
    /// ```swift
    /// await pool.shutdown()
    /// ```
    public func shutdown() async {
        try? await threads.shutdownGracefully()
    }

    deinit {
        threads.shutdownGracefully { _ in }
    }
}
