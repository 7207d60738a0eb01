import Foundation
@testable import GatehouseCLI
import GatehouseTestSupport
import Testing

/// ``LogLineWriter``: lines below `warning` wait a few milliseconds to be written together; a
/// `warning` line is written before the call returns, after every line logged before it; lines
/// from many threads stay whole and each thread's stay in order. On a file of its own.
@Suite("log lines: gathered, whole, in order, warnings at once")
struct LogLineWriterTests {
    static func withFile(_ body: (LogLineWriter, () -> String) async throws -> Void) async throws {
        let url = FileManager.default.temporaryDirectory.appending(path: "gatehouse-log-\(UUID().uuidString)")
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer {
            close(descriptor)
            try? FileManager.default.removeItem(at: url)
        }
        try await body(LogLineWriter(descriptor: descriptor)) { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
    }

    @Test func aWarningIsWrittenAtOnceAfterTheLinesBeforeIt() async throws {
        try await Self.withFile { writer, contents in
            writer.write(Array("info 1\n".utf8), soon: true)
            writer.write(Array("info 2\n".utf8), soon: true)
            writer.write(Array("warning 3\n".utf8), soon: false)
            #expect(contents() == "info 1\ninfo 2\nwarning 3\n")
        }
    }

    @Test func linesBelowWarningArriveByThemselvesWholeAndInOrder() async throws {
        try await Self.withFile { writer, contents in
            let threads = 8, lines = 2_000
            await withTaskGroup(of: Void.self) { group in
                for thread in 0..<threads {
                    group.addTask {
                        for line in 0..<lines {
                            writer.write(Array("thread=\(thread) line=\(line) \(String(repeating: "x", count: line % 50))\n".utf8), soon: true)
                        }
                    }
                }
            }
            // No flush: the writer's own thread writes them within its interval.
            try await yieldUntil(seconds: 10, "every line is written") { contents().split(separator: "\n").count == threads * lines }
            var next = [Int](repeating: 0, count: threads)
            for line in contents().split(separator: "\n") {
                let parts = line.split(separator: " ")
                let thread = try #require(Int(parts[0].dropFirst("thread=".count)))
                let number = try #require(Int(parts[1].dropFirst("line=".count)))
                #expect(number == next[thread], "thread \(thread) out of order")
                #expect(parts.count == (number % 50 == 0 ? 2 : 3) && (parts.count == 2 || parts[2].count == number % 50), "a broken line: \(line)")
                next[thread] = number + 1
            }
            #expect(next == [Int](repeating: lines, count: threads))
        }
    }
}
