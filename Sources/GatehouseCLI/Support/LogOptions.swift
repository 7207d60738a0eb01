import ArgumentParser
import Foundation
import Logging

/// How `serve` logs: `--log-format text|json` and `--log-level`, each falling back to its
/// environment variable (`GATEHOUSE_LOG_FORMAT`, `GATEHOUSE_LOG_LEVEL`), then to text at `info`.
struct LogOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp("text, or json: one object per line with timestamp, level, label, message and fields (default: $GATEHOUSE_LOG_FORMAT, else text).", valueName: "format")
    )
    var format: Format?

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default: $GATEHOUSE_LOG_LEVEL, else info).", valueName: "level")
    )
    var level: String?

    /// The format and level in force; throws for a value that is neither.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (format: Format, level: Logger.Level) {
        let formatText = format?.rawValue ?? environment["GATEHOUSE_LOG_FORMAT"]?.lowercased() ?? "text"
        guard let format = Format(rawValue: formatText) else {
            throw CommandFailure("GATEHOUSE_LOG_FORMAT must be text or json")
        }
        let levelText = (level ?? environment["GATEHOUSE_LOG_LEVEL"] ?? "info").lowercased()
        guard let parsed = Logger.Level(rawValue: levelText) else {
            throw CommandFailure("\(level == nil ? "GATEHOUSE_LOG_LEVEL" : "--log-level") must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return (format, parsed)
    }
}
