public import Testing
public import Foundation

/// A real SMTP server for the tests: Python's aiosmtpd, started from scripts/smtp/server.py with the
/// Django oracle's venv (`GATEHOUSE_TEST_DJANGO_PYTHON`; scripts/django/requirements.txt has
/// aiosmtpd). Each delivered message is a JSON file the test reads back.
public final class AiosmtpdServer: @unchecked Sendable {
    public static let python = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    public static let skipReason: Comment =
        "GATEHOUSE_TEST_DJANGO_PYTHON is not set: point it at the venv of scripts/django/venv.sh, which has aiosmtpd"

    static let script = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "scripts/smtp/server.py")

    /// One message as the server received it.
    public struct Delivery: Decodable, Sendable {
        public let mail_from: String
        public let rcpt_tos: [String]
        public let mail_options: [String]
        public let auth: Auth?
        public let tls: Bool
        public let data_base64: String
        public let parsed: Parsed

        /// The message as Python's email package decodes it.
        public struct Parsed: Decodable, Sendable {
            public let headers: [[String]]
            public let subject: String?
            public let content_type: String
            public let charset: String?
            public let transfer_encoding: String?
            public let body: String?
            public let defects: [String]
            public let max_line_length: Int

            /// The body with CRLF line breaks as LF (Python keeps the message's own breaks).
            public var text: String? { body?.replacingOccurrences(of: "\r\n", with: "\n") }

            /// The values of every header named `name` (any case).
            public func header(_ name: String) -> [String] {
                headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
            }
        }

        public struct Auth: Decodable, Sendable {
            public let mechanism: String
            public let login: String
            public let password: String
        }

        /// The raw message after dot-unstuffing.
        public var data: String { String(decoding: Data(base64Encoded: data_base64) ?? Data(), as: UTF8.self) }
    }

    public let process = Process()
    public let directory: URL
    public let outbox: URL
    public let port: Int
    private let input = Pipe()

    /// Starts the server with scripts/smtp/server.py `arguments`, its files in `directory`.
    public init(_ arguments: [String], directory: URL) async throws {
        self.directory = directory
        outbox = directory.appending(path: "outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        let log = directory.appending(path: "aiosmtpd-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(filePath: Self.python!)
        process.arguments = [Self.script.path, "--outdir", outbox.path] + arguments
        process.standardInput = input
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
        var found: Int?
        // Waiting for the other process to listen, not for time to pass.
        for _ in 0..<600 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }) {
                found = Int(line.dropFirst(6))
                break
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestFailure("aiosmtpd did not start: \(text)")
        }
        port = found
    }

    /// The messages delivered so far, in order.
    public func deliveries() throws -> [Delivery] {
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
            .filter { $0.hasSuffix(".json") }
            .sorted { Int($0.dropLast(5)) ?? 0 < Int($1.dropLast(5)) ?? 0 }
        return try files.map { try JSONDecoder().decode(Delivery.self, from: Data(contentsOf: outbox.appending(path: $0))) }
    }

    /// Stops the server (SIGKILL: a process started from a test may have SIGTERM blocked).
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A scratch directory removed at the end.
public func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appending(path: "gatehouse-smtp-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
