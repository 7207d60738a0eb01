import Foundation
import Testing

// A PostgreSQL cluster of the test's own (scripts/pg/start.sh on a free port), which the test may
// stop, start again and kill connections of: never the shared cluster of GATEHOUSE_TEST_POSTGRES_URL,
// whose presence only switches these tests on.
final class ThrowawayPostgres: @unchecked Sendable {
    let port: Int
    let data: String
    let directory: URL
    var url: String { "postgres://postgres@127.0.0.1:\(port)/gatehouse_test" }

    private init(port: Int, data: String, directory: URL) {
        self.port = port
        self.data = data
        self.directory = directory
    }

    /// Runs one of scripts/pg/*.sh; its chatter goes to `pg.log` in `directory`.
    static func script(_ name: String, _ environment: [String: String], directory: URL) async throws -> (status: Int32, output: String) {
        try await ShellScript.run(
            BrowserEndToEndTests.repositoryRoot.appending(path: "scripts/pg/\(name)").path, environment: environment,
            log: directory.appending(path: "pg.log")
        )
    }

    /// A new cluster with an empty `gatehouse_test` database.
    static func start(in directory: URL) async throws -> ThrowawayPostgres {
        let port = try FrontProxy.freePort()
        let started = try await script("start.sh", ["GATEHOUSE_PG_PORT": String(port), "PGDATA_DIR": "", "GATEHOUSE_PG_AUTO_INSTALL": "0"], directory: directory)
        guard started.status == 0,
            let line = started.output.split(separator: "\n").first(where: { $0.hasPrefix("export GATEHOUSE_PG_DATA=") })
        else {
            throw PeerFailure("scripts/pg/start.sh failed: \(started.output) \(Self.log(in: directory))")
        }
        return ThrowawayPostgres(port: port, data: String(line.dropFirst("export GATEHOUSE_PG_DATA=".count)), directory: directory)
    }

    static func log(in directory: URL) -> String {
        (try? String(contentsOf: directory.appending(path: "pg.log"), encoding: .utf8)) ?? ""
    }

    /// Stops the server (fast shutdown: its connections are ended), keeping the data.
    func stop() async throws {
        let stopped = try await Self.script("stop.sh", ["GATEHOUSE_PG_DATA": data, "GATEHOUSE_PG_KEEP": "1"], directory: directory)
        guard stopped.status == 0 else { throw PeerFailure("scripts/pg/stop.sh failed: \(Self.log(in: directory))") }
    }

    /// Starts the stopped server again on the same port and data.
    func restart() async throws {
        let started = try await Self.script(
            "start.sh", ["GATEHOUSE_PG_PORT": String(port), "PGDATA_DIR": data, "GATEHOUSE_PG_AUTO_INSTALL": "0"], directory: directory
        )
        guard started.status == 0 else { throw PeerFailure("scripts/pg/start.sh (again) failed: \(Self.log(in: directory))") }
    }

    /// Stops the server and removes its data.
    func destroy() async {
        _ = try? await Self.script("stop.sh", ["GATEHOUSE_PG_DATA": data], directory: directory)
    }
}
