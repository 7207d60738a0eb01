#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GatehouseHummingbird
import GatehouseSQL
import Hummingbird
import Logging
import Synchronization

/// `/_gatehouse/health` (the process answers: 200) and `/_gatehouse/ready` (200 only while the
/// database answers and, for SQLite, the file the server opened is still there; 503 otherwise),
/// and a watch that logs an error when the SQLite file disappears or is replaced while serving
/// (SQLite would go on writing to the deleted file, and every write would be lost at the next
/// start).
final class Readiness: Sendable {
    let database: CommandDatabase
    /// The SQLite file's device and inode when the server opened it.
    let file: (path: String, identity: FileIdentity)?
    private let lastState = Mutex<Bool>(true)

    struct FileIdentity: Sendable, Equatable {
        let device: UInt64
        let inode: UInt64

        static func of(_ path: String) -> FileIdentity? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }

    init(database: CommandDatabase) {
        self.database = database
        if case .sqlite(.file(let path)) = database.url.kind, let identity = FileIdentity.of(path) {
            self.file = (path, identity)
        } else {
            self.file = nil
        }
    }

    /// Whether the database file is still the one opened (always true for PostgreSQL and memory).
    var fileIsPresent: Bool {
        guard let file else { return true }
        return FileIdentity.of(file.path) == file.identity
    }

    /// Whether the server can do its work now.
    func isReady() async -> Bool {
        guard fileIsPresent else { return false }
        return await database.isReachable(timeout: .seconds(2))
    }

    /// Adds the two endpoints.
    func add(to router: Router<GatehouseRequestContext>) {
        router.get("/_gatehouse/health") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        let readiness = self
        router.get("/_gatehouse/ready") { _, _ in
            let ready = await readiness.isReady()
            return Response(status: ready ? .ok : .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready\n")))
        }
    }

    /// Checks the file every `interval` and logs each change (gone: error; back: notice), until
    /// the task is cancelled.
    func watch(every interval: Duration = .seconds(2), logger: Logger) async {
        guard let file else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let present = fileIsPresent
            let changed = lastState.withLock { last in
                defer { last = present }
                return last != present
            }
            guard changed else { continue }
            if present {
                logger.notice("the database file is back", metadata: ["path": .string(file.path)])
            } else {
                logger.error(
                    "the database file was deleted or replaced while serving: writes are being lost; restart with the right file",
                    metadata: ["path": .string(file.path)]
                )
            }
        }
    }
}
