import Foundation

/// A first-come, first-served lock for async code: one holder at a time, waiters resumed in order.
///
/// SQLite allows one writer; this gate keeps a process's write transactions from interleaving on the
/// shared write connection.
///
/// ```swift
/// let gate = AsyncSerialGate()
/// try await gate.withLock { try await writeSomething() }
/// ```
final class AsyncSerialGate: @unchecked Sendable {
    private let lock = NSLock()
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init() {}

    func withLock<T>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if locked {
                    waiters.append(continuation)
                    return false
                }
                locked = true
                return true
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func release() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            if waiters.isEmpty {
                locked = false
                return nil
            }
            return waiters.removeFirst()
        }
        next?.resume()
    }
}
