import Logging
import Synchronization

/// A log handler that keeps every line, so tests can check what Gatehouse logs.
final class PasswordLogCapture: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The message and every metadata key and value.
        var fullText: String {
            ([message] + metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let storage = Mutex<[Line]>([])

    var lines: [Line] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test.capture") { _ in Handler(capture: self) }
    }

    fileprivate func append(_ line: Line) {
        storage.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let capture: PasswordLogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            all.merge(event.metadata ?? [:]) { $1 }
            capture.append(
                Line(
                    level: event.level, message: event.message.description,
                    metadata: all.mapValues { $0.description }
                )
            )
        }
    }
}

extension Logger {
    /// A logger that drops everything.
    static var quietPasswords: Logger {
        Logger(label: "test.quietPasswords") { _ in SwiftLogNoOpLogHandler() }
    }
}
