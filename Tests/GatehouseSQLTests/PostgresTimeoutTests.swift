import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import SQLKit
import Testing

/// A PostgreSQL that does not answer fails operations after the provider's timeout (a 503 for the
/// request), instead of holding them while the pool keeps reconnecting. No PostgreSQL needed: the
/// "server" is a socket that accepts connections and never says a word, or a port nobody listens on.
@Suite("PostgreSQL provider: an unanswering database fails fast")
struct PostgresTimeoutTests {
    /// A listening socket that never answers (the kernel completes the handshake; nobody reads), or
    /// with `listening: false` a port that was free a moment ago. The server lives until the test
    /// closes its standard input (signals may be blocked in processes the test runner starts).
    final class SilentServer {
        let process = Process()
        let input = Pipe()
        let port: Int

        init(listening: Bool = true) throws {
            process.executableURL = URL(filePath: "/usr/bin/env")
            let listen = listening ? "s.listen(64)\n" : ""
            process.arguments = [
                "python3", "-c",
                "import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1',0))\n\(listen)print(s.getsockname()[1],flush=True)\n"
                    + (listening ? "sys.stdin.read()" : "s.close()"),
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardInput = input
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw StoreError.unavailable("no port: \(line)") }
            self.port = port
            if !listening { process.waitUntilExit() }
        }

        deinit { try? input.fileHandleForWriting.close() }
    }

    static func elapsed(_ body: () async throws -> Void) async -> (seconds: Double, error: (any Error)?) {
        let start = ContinuousClock.now
        var caught: (any Error)?
        do { try await body() } catch { caught = error }
        let duration = ContinuousClock.now - start
        return (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18, caught)
    }

    @Test func aServerThatNeverAnswersFailsReadsAndWritesAfterTheTimeout() async throws {
        let silent = try SilentServer()
        let provider = try PostgresDatabaseProvider(
            url: try DatabaseURL("postgres://gatehouse:secret@127.0.0.1:\(silent.port)/gatehouse"), operationTimeout: .milliseconds(500)
        )
        for round in 0..<2 {
            let read = await Self.elapsed { _ = try await provider.read { try await $0.raw("SELECT 1").all() } }
            #expect((read.error as? StoreError)?.isUnavailable == true, "round \(round): \(String(describing: read.error))")
            #expect(read.seconds < 3, "round \(round): the read took \(read.seconds) s")
            let write = await Self.elapsed { try await provider.write { try await $0.raw("SELECT 1").run() } }
            #expect(write.error != nil && write.seconds < 3, "round \(round): the write took \(write.seconds) s: \(String(describing: write.error))")
        }
        // Many requests at once: each fails on its own timeout; none waits behind the others.
        let many = await Self.elapsed {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 {
                    group.addTask { (try? await provider.read { try await $0.raw("SELECT 1").all() }) == nil }
                }
                for try await failed in group { #expect(failed) }
            }
        }
        #expect(many.seconds < 4, "50 concurrent reads took \(many.seconds) s")
        // Connections still waiting for the server's first word cannot hold the shutdown either.
        let shutdown = await Self.elapsed { try await provider.shutdown() }
        #expect(shutdown.seconds < 3, "the shutdown took \(shutdown.seconds) s")
    }

    @Test func aPortNobodyListensOnFailsFast() async throws {
        let port = try SilentServer(listening: false).port
        let provider = try PostgresDatabaseProvider(
            url: try DatabaseURL("postgres://gatehouse:secret@127.0.0.1:\(port)/gatehouse"), operationTimeout: .seconds(1)
        )
        let read = await Self.elapsed { _ = try await provider.read { try await $0.raw("SELECT 1").all() } }
        #expect(read.error != nil && read.seconds < 3, "took \(read.seconds) s: \(String(describing: read.error))")
        try await provider.shutdown()
    }
}
