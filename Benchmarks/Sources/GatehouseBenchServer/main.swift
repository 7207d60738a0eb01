// The server scripts/bench/http.sh measures.
//
//   GatehouseBenchServer setup    --database URL              users, a permission, a group (idempotent)
//   GatehouseBenchServer bare     --database URL --port N     one route, no middleware: the ceiling
//   GatehouseBenchServer gatehouse --database URL --port N    the whole journey
//   GatehouseBenchServer load     --database URL --users N --groups N [--cookies FILE --cookie-count N]
//                                  N users with a membership and a live session each (after setup)
//   GatehouseBenchServer clear    --database URL              clearsessions (batches of 5,000), timed
//
// Both servers answer GET /secret/; Gatehouse guards it with login and `blog.view_post`.
// GATEHOUSE_EXECUTOR=nio runs Swift concurrency's jobs on NIO's event loops, as `gatehouse` does
// by default (the bare route's figure with the same executor as the binary's).
// Users: alice (holds blog.view_post through the group readers), bob (holds nothing), both with
// the password in BENCH_PASSWORD, hashed at Django's default PBKDF2 cost.
import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehousePostgres
import GatehouseSQL
import Hummingbird
import Logging
import NIOCore
import NIOPosix

if ProcessInfo.processInfo.environment["GATEHOUSE_EXECUTOR"] == "nio" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

struct Options {
    var mode = ""
    var database = "sqlite:///bench.sqlite3"
    var port = 18080
    var users = 1_000_000
    var groups = 100_000
    var cookies: String?
    var cookieCount = 20_000
    var secretKey = ProcessInfo.processInfo.environment["GATEHOUSE_SECRET_KEY"] ?? "benchmark-secret-key-0123456789abcdefghijklmnop"

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        mode = rest.popFirst() ?? ""
        while let flag = rest.popFirst() {
            switch flag {
            case "--database": database = rest.popFirst() ?? database
            case "--port": port = Int(rest.popFirst() ?? "") ?? port
            case "--users": users = Int(rest.popFirst() ?? "") ?? users
            case "--groups": groups = Int(rest.popFirst() ?? "") ?? groups
            case "--cookies": cookies = rest.popFirst()
            case "--cookie-count": cookieCount = Int(rest.popFirst() ?? "") ?? cookieCount
            default: FileHandle.standardError.write(Data("unknown option \(flag)\n".utf8)); exit(64)
            }
        }
    }
}

func openProvider(_ text: String) async throws -> any SQLDatabaseProvider {
    let url = try DatabaseURL(text)
    switch url.kind {
    case .sqlite(let location):
        var configuration = SQLiteStorageConfiguration(location: location)
        // GATEHOUSE_BENCH_INLINE_SESSION_READS=0 measures the published route (sqlite-nio's thread
        // pool) instead of SQLiteSessionReader (docs/dependencies.md).
        configuration.inlineSessionReads = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_INLINE_SESSION_READS"] != "0"
        return try await SQLiteDatabaseProvider.open(configuration)
    case .postgres:
        return try PostgresDatabaseProvider(url: url)
    }
}

func setUp(_ provider: any SQLDatabaseProvider) async throws {
    try await MigrationRunner(provider: provider).migrate()
    let store = SQLAuthStore(provider: provider)
    let password = ProcessInfo.processInfo.environment["BENCH_PASSWORD"] ?? "correct horse battery staple"
    try await ModelRegistration(store: store).register(appLabel: "blog", model: "post")
    let view = try await store.permission(appLabel: "blog", codename: "view_post")!
    var readers = try await store.group(name: "readers")
    if readers == nil { readers = try await store.insertGroup(name: "readers") }
    try? await store.grant(view.id, toGroup: readers!.id)
    let hashers = PasswordHashers()
    for name in ["alice", "bob"] {
        var user: User
        if let existing = try await store.user(username: name) {
            user = existing
        } else {
            user = try await store.insertUser(NewUser(username: name, password: "!", dateJoined: Date()))
        }
        user.password = try await hashers.makePassword(password)
        try await store.updateUser(user)
    }
    let alice = try await store.user(username: "alice")!
    try? await store.addUser(alice.id, toGroup: readers!.id)
}

let options = Options(CommandLine.arguments)
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .warning
    return handler
}
let provider = try await openProvider(options.database)
switch options.mode {
case "setup":
    try await setUp(provider)
    print("ready")
case "load":
    var loader = ScaleLoader(provider: provider, keys: try SigningKeys(secretKey: options.secretKey))
    loader.users = options.users
    loader.groups = options.groups
    try await loader.load(cookieFile: options.cookies, cookieCount: options.cookieCount)
case "clear":
    let started = ContinuousClock.now
    let removed = try await SQLSessionStore(provider: provider, keys: try SigningKeys(secretKey: options.secretKey))
        .clearExpired(now: Date())
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("removed \(removed) expired sessions in \((seconds * 10).rounded() / 10) s (batches of 5,000)")
case "bare":
    let router = Router()
    router.get("/secret/") { _, _ in "the secret" }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: options.port)))
    try await app.runService()
case "gatehouse":
    let keys = try SigningKeys(secretKey: options.secretKey)
    let store = SQLAuthStore(provider: provider)
    var builder = GatehouseRouterBuilder(users: store, sessions: SQLSessionStore(provider: provider, keys: keys), keys: keys)
    // wrk sends every login from 127.0.0.1 over 32 connections: per-address turns (2 running, 16
    // waiting) would answer the rest 429 at once. The benchmark measures the hashing pool, not fairness.
    builder.throttling.concurrentChecksPerAddress = 0
    let router = Router(context: GatehouseRequestContext.self)
    builder.install(on: router, logRequests: false)
    router.group("/secret")
        .add(middleware: LoginRequired())
        .add(middleware: PermissionRequired(["blog.view_post"], checker: try builder.permissionChecker))
        .get("/") { _, _ in "the secret" }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: options.port)))
    try await app.runService()
default:
    FileHandle.standardError.write(Data("usage: GatehouseBenchServer setup|bare|gatehouse|load|clear --database URL [--port N]\n".utf8))
    exit(64)
}
try await provider.shutdown()
