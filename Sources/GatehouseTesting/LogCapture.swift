public import Logging
import Synchronization

/// A log handler that keeps what is logged in memory, for tests that provoke warnings on purpose:
/// they assert the line was logged (and that no secret was in it) instead of printing it into a
/// passing run's output. Give the code under test `logs.logger("label")` and read `logs.warnings`.
public final class LogCapture: Sendable {
    /// One logged line.
    public struct Entry: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]

        /// The message and its metadata as one text, for "is this secret anywhere in it" checks.
        public var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let entries = Mutex<[Entry]>([])

    /// Creates an empty capture.
    public init() {}

    /// A logger whose lines (at `level` and above) are kept here.
    public func logger(_ label: String, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// Everything logged so far.
    public var all: [Entry] { entries.withLock { $0 } }

    /// The lines logged at `warning`.
    public var warnings: [Entry] { all.filter { $0.level == .warning } }

    /// The lines logged at `error`.
    public var errors: [Entry] { all.filter { $0.level == .error } }

    /// The messages logged at exactly `level`.
    public func messages(at level: Logger.Level) -> [String] {
        all.filter { $0.level == level }.map(\.message)
    }

    fileprivate func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
