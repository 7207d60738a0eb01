import Foundation
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import Testing

/// Runs the built `gatehouse` executable as a user would, with arguments, standard input and
/// environment, and captures what it prints.
struct CLIRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let database: String
    let workingDirectory: URL

    static var executable: URL {
        // The test bundle and the executable are built into the same directory: on Linux the
        // running test binary, on macOS the directory holding the `.xctest` bundle.
        #if os(Linux)
        let products = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        #else
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") } ?? Bundle.main
        let products = bundle.bundleURL.deletingLastPathComponent()
        #endif
        return products.appendingPathComponent("gatehouse")
    }

    /// Runs the command and waits for it off Swift's cooperative pool: at most
    /// ``CLIProcessSlots/limit`` commands run at once, and no test's thread is blocked meanwhile (a
    /// blocking wait on the pool's two threads here starved every other async test for seconds).
    @discardableResult
    func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:], withDatabase: Bool = true)
        async throws -> Result
    {
        try await CLIProcessSlots.shared.withSlot {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(with: Swift.Result<Result, any Error> {
                        try self.runBlocking(arguments, stdin: stdin, environment: environment, withDatabase: withDatabase)
                    })
                }
            }
        }
    }

    /// The same, blocking the calling thread: for code that is not async (and never on the cooperative pool).
    func runBlocking(_ arguments: [String], stdin: String = "", environment: [String: String] = [:], withDatabase: Bool = true)
        throws -> Result
    {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + (withDatabase ? ["--database", database] : [])
        // A loaded test machine can take longer than the default 5 s to make a connection.
        if withDatabase, database.hasPrefix("postgres") { process.arguments? += ["--database-timeout", "60"] }
        process.currentDirectoryURL = workingDirectory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "GATEHOUSE_DATABASE_URL")
        env.removeValue(forKey: "GATEHOUSE_SUPERUSER_PASSWORD")
        env["USER"] = "tester"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A command that exits before reading its input closes the pipe (EPIPE): that is the
        // command's own behaviour, which its status and output show, not a test failure.
        try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self)
        )
    }

    /// A runner on a new SQLite file in a new temporary directory.
    static func sqlite() throws -> CLIRunner {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return CLIRunner(database: "sqlite:///\(directory.path)/cli.sqlite3", workingDirectory: directory)
    }

    var sqlitePath: String { String(database.dropFirst("sqlite:///".count)) }

    func cleanUp() {
        if database.hasPrefix("sqlite:") { try? FileManager.default.removeItem(at: workingDirectory) }
    }
}

/// The databases a CLI test runs on: SQLite always, PostgreSQL when `GATEHOUSE_TEST_POSTGRES_URL`
/// is set (CI sets it).
enum CLIDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var enabled: [CLIDatabase] { CLIPostgres.enabled ? allCases : [.sqlite] }

    var testDescription: String { rawValue }

    /// Runs `body` with a CLI on a fresh database of this kind and a way to open a provider on it.
    func with(_ body: (CLIRunner, @Sendable () async throws -> any SQLDatabaseProvider) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let cli = try CLIRunner.sqlite()
            defer { cli.cleanUp() }
            let path = cli.sqlitePath
            try await body(cli) { try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path)) }
        case .postgres:
            try await TestDatabases.withPostgresDatabase { url in
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-cli-pg-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                // Test clusters use trust authentication: the URL has no password to redact.
                let cli = CLIRunner(database: url.redacted, workingDirectory: directory)
                try await body(cli) { try PostgresDatabaseProvider(url: url, pool: TestDatabases.patientPool) }
            }
        }
    }
}

/// A limit on the `gatehouse` processes the tests run at once (two cores here: more only thrash).
actor CLIProcessSlots {
    static let shared = CLIProcessSlots()
    static let limit = 2

    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if running < Self.limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()  // the slot passes to the next waiter
        }
    }
}
