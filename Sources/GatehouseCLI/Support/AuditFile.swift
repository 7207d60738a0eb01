import Foundation
import Gatehouse
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit file (`--audit-log`, `GATEHOUSE_AUDIT_LOG`): events appended as JSON lines, the same
/// objects as `--log-format json` writes. The file is created with mode 0600; an existing file that
/// others may read or write is tightened to 0600 (with a warning), and one that is not a regular
/// file, or whose mode cannot be changed, is refused.
final class AuditFile: Sendable {
    let path: String
    private let descriptor: Int32
    private let lock = Mutex(())

    /// Opens `path` for appending; a note when its mode was tightened.
    static func open(_ path: String) throws -> (file: AuditFile, note: String?) {
        let descriptor = openForAppending(path)
        guard descriptor >= 0 else {
            throw CommandFailure("cannot open the audit log \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw CommandFailure("the audit log \(path) is not a regular file")
        }
        var note: String?
        let mode = info.st_mode & 0o777
        if mode & 0o077 != 0 {
            guard fchmod(descriptor, 0o600) == 0 else {
                close(descriptor)
                throw CommandFailure("the audit log \(path) has mode \(String(mode, radix: 8)) and it cannot be changed to 600: \(String(cString: strerror(errno)))")
            }
            note = "the audit log \(path) had mode \(String(mode, radix: 8)): changed to 600"
        }
        return (AuditFile(path: path, descriptor: descriptor), note)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Appends `line` and a newline in one write, so lines of concurrent tasks and processes never mix.
    func append(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        lock.withLock { _ in writeWhole(bytes, to: descriptor) }
    }

    /// `makeHandler`, with the `gatehouse.audit` logger also writing to `file` when there is one.
    static func including(_ file: AuditFile?, _ makeHandler: @escaping @Sendable (String) -> any LogHandler) -> @Sendable (String) -> any LogHandler {
        guard let file else { return makeHandler }
        return { label in
            let handler = makeHandler(label)
            guard label == AuditLog.label else { return handler }
            return MultiplexLogHandler([handler, file.handler(label: label)])
        }
    }

    /// A handler for the `gatehouse.audit` logger that appends to this file at `notice` and above.
    func handler(label: String) -> JSONLogHandler {
        var handler = JSONLogHandler(label: label) { [self] line, _ in append(line) }  // audit lines never wait
        handler.logLevel = .notice
        return handler
    }
}

/// `open(2)` for appending, creating the file with mode 0600 (outside ``AuditFile``, whose own
/// `open` would hide the system's).
private func openForAppending(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
}
