import Dispatch
import Foundation
import Gatehouse
import Testing

@Suite("PasswordHashingPool")
struct PasswordHashingPoolTests {
    @Test("jobs beyond the queue bound fail at once with busy")
    func busy() async throws {
        let pool = PasswordHashingPool(numberOfThreads: 1, maximumQueued: 1)
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)

        // One job occupies the only thread until released...
        let running = Task {
            try await pool.run { () -> Int in
                started.signal()
                release.wait()
                return 1
            }
        }
        await Task.detached { started.wait() }.value
        // ...one more may wait...
        let waiting = Task { try await pool.run { () -> Int in 2 } }
        while pool.pendingJobs < 2 { try await Task.sleep(for: .milliseconds(5)) }

        // ...and the next is refused immediately, as are the registry's calls.
        await #expect(throws: PasswordError.busy) {
            try await pool.run { () -> Int in 3 }
        }
        let hashers = PasswordHashers(preferred: CheapHashers.pbkdf2, pool: pool, logger: .quietPasswords)
        await #expect(throws: PasswordError.busy) {
            try await hashers.makePassword("pw")
        }
        let encoded = try CheapHashers.pbkdf2.makePassword("pw")
        await #expect(throws: PasswordError.busy) {
            try await hashers.verifyPassword("pw", encoded: encoded)
        }
        #expect(!(await hashers.checkPassword("pw", encoded: encoded)))

        release.signal()
        #expect(try await running.value == 1)
        #expect(try await waiting.value == 2)
        #expect(pool.pendingJobs == 0)
        // Capacity is back.
        #expect(await hashers.checkPassword("pw", encoded: encoded))
        await pool.shutdown()
    }

    @Test("hashing runs on the pool's threads, not the caller's")
    func runsOnPoolThread() async throws {
        let pool = PasswordHashingPool(numberOfThreads: 2)
        let name = try await pool.run { () -> String in
            Thread.current.name ?? ""
        }
        #expect(name.contains("TP"))  // NIOThreadPool names its threads "TP-#n"
        #expect(pool.numberOfThreads == 2)
        #expect(pool.maximumQueued == PasswordHashingPool.defaultMaximumQueued(numberOfThreads: 2))
        await pool.shutdown()
    }

    @Test("errors thrown by a job reach the caller")
    func jobErrors() async throws {
        let pool = PasswordHashingPool(numberOfThreads: 1)
        await #expect(throws: PasswordError.invalidSalt(algorithm: "x")) {
            try await pool.run { () throws(PasswordError) -> Int in throw .invalidSalt(algorithm: "x") }
        }
        #expect(pool.pendingJobs == 0)
        await pool.shutdown()
    }

    @Test("a shut-down pool refuses work")
    func shutDown() async throws {
        let pool = PasswordHashingPool(numberOfThreads: 1)
        await pool.shutdown()
        await #expect(throws: PasswordError.poolShutDown) {
            try await pool.run { () -> Int in 1 }
        }
        let hashers = PasswordHashers(preferred: CheapHashers.pbkdf2, pool: pool, logger: .quietPasswords)
        await #expect(throws: PasswordError.poolShutDown) { try await hashers.makePassword("pw") }
    }

    @Test("the shared pool has one thread per core")
    func shared() async throws {
        #expect(PasswordHashingPool.shared.numberOfThreads == ProcessInfo.processInfo.activeProcessorCount)
        #expect(try await PasswordHashingPool.shared.run { () -> Int in 42 } == 42)
    }
}
