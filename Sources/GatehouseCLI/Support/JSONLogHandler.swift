import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to standard error: `timestamp`
/// (ISO 8601, UTC, milliseconds), `level`, `label`, `message`, then each metadata field at the top
/// level (a field named like one of those four gets a `field_` prefix). Lines are written whole
/// and in order by ``LogLineWriter``, so that concurrent tasks never interleave them.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private let write: @Sendable (_ line: String, _ soon: Bool) -> Void

    /// `write` gets each line and whether it may wait a moment (below `warning`, ``LogLineWriter``).
    init(label: String, write: @escaping @Sendable (_ line: String, _ soon: Bool) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        write(Self.line(timestamp: Date(), level: event.level, label: label, message: "\(event.message)", metadata: merged), event.level < .warning)
    }

    static let reserved: Set<String> = ["timestamp", "level", "label", "message"]

    /// The JSON object for one event, without the newline.
    static func line(timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var fields = "{\"timestamp\":\(quoted(timestamp.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))))"
        fields += ",\"level\":\(quoted(level.rawValue)),\"label\":\(quoted(label)),\"message\":\(quoted(message))"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = reserved.contains(key) ? "field_" + key : key
            fields += ",\(quoted(name)):\(json(value))"
        }
        return fields + "}"
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.sorted(by: { $0.key < $1.key }).map { "\(quoted($0.key)):\(json($0.value))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string: quotes, backslashes and every control character escaped, so a value can never
    /// end the line or the object early.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// One line on standard error, through the text format's writer (whole lines, in order).
    @Sendable static func standardError(_ line: String, soon: Bool) {
        LogLineWriter.standardError.write(Array((line + "\n").utf8), soon: soon)
    }
}
