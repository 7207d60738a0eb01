#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GatehouseHummingbird
import Logging
import Synchronization

/// The `text` log format: swift-log's `StreamLogHandler` line, `2026-12-07T08:39:20+0000 info
/// gatehouse.serve: client=127.0.0.1 method=GET ... [GatehouseHummingbird] request`, written to
/// standard error for a fraction of its cost, because `serve` writes one for every request.
///
/// Unlike `StreamLogHandler`, control characters in the message and in values are escaped (`\n`,
/// `\r`, `\t`, `\u001b`), so a value a client chose (a username, a path) can never start a line
/// of its own. The local-time timestamp is formatted once per second (`localtime_r` and `strftime` stat
/// `/etc/localtime` on every call when `TZ` is unset), and each line is built in place as bytes and
/// handed to ``LogLineWriter``, which writes lines whole and in order (below `warning`, a few at a
/// time).
struct TextLogHandler: LogHandler, AccessLineWriting {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private let write: @Sendable (_ line: [UInt8], _ soon: Bool) -> Void

    /// `write` gets each line and whether it may wait a moment (below `warning`, ``LogLineWriter``).
    init(label: String, write: @escaping @Sendable (_ line: [UInt8], _ soon: Bool) -> Void = { LogLineWriter.standardError.write($0, soon: $1) }) {
        self.label = label
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        // The handler's fields and the event's, the event's winning, as pairs: no merged dictionary
        // (rehashing every key) per line.
        let explicit = event.metadata ?? [:]
        var fields: [(key: String, value: Logger.MetadataValue)] = []
        fields.reserveCapacity(metadata.count + explicit.count + 2)
        for field in metadata where explicit[field.key] == nil { fields.append(field) }
        for field in explicit { fields.append(field) }
        if let error = event.error {
            fields.removeAll { $0.key == "error.message" || $0.key == "error.type" }
            fields.append(("error.message", "\(error)"))
            fields.append(("error.type", "\(String(reflecting: type(of: error)))"))
        }
        let line = Self.line(timestamp: Self.timestamp(), level: event.level, label: label, fields: fields, source: event.source, message: "\(event.message)")
        write(line, event.level < .warning)
    }

    func writeAccessLine(_ line: AccessLogLine, source: String) {
        write(Self.accessLine(timestamp: Self.timestamp(), label: label, handlerMetadata: metadata, line: line, source: source), true)
    }

    /// One line, with its newline: the fields sorted by name, as `StreamLogHandler` writes them.
    static func line(timestamp: String, level: Logger.Level, label: String, metadata: Logger.Metadata, source: String, message: String) -> [UInt8] {
        line(timestamp: timestamp, level: level, label: label, fields: metadata.map { $0 }, source: source, message: message)
    }

    static func line(
        timestamp: String, level: Logger.Level, label: String, fields: [(key: String, value: Logger.MetadataValue)], source: String, message: String
    ) -> [UInt8] {
        var bytes = start(timestamp: timestamp, level: level, label: label, capacity: message.utf8.count + fields.count * 24)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            appendField(key, value, to: &bytes)
        }
        finish(&bytes, source: source, message: message)
        return bytes
    }

    /// `timestamp level label:`.
    private static func start(timestamp: String, level: Logger.Level, label: String, capacity: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + capacity)
        bytes.append(contentsOf: timestamp.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: level.rawValue.utf8)
        if !label.isEmpty {
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: label.utf8)
        }
        bytes.append(UInt8(ascii: ":"))
        return bytes
    }

    /// ` key=value`, the value escaped.
    private static func appendField(_ key: String, _ value: Logger.MetadataValue, to bytes: inout [UInt8]) {
        switch value {
        case .string(let text): appendField(key, text, to: &bytes)
        default: appendField(key, value.description, to: &bytes)
        }
    }

    private static func appendField(_ key: String, _ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "="))
        appendEscaped(text, to: &bytes)
    }

    /// ` [source] message` and the newline.
    private static func finish(_ bytes: inout [UInt8], source: String, message: String) {
        bytes.append(contentsOf: " [".utf8)
        bytes.append(contentsOf: source.utf8)
        bytes.append(contentsOf: "] ".utf8)
        appendEscaped(message, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The access line as `log(event:)` writes `info("request", metadata: line.metadata)`: the
    /// handler's fields and the line's (already sorted) merged by name, the line's winning.
    static func accessLine(timestamp: String, label: String, handlerMetadata: Logger.Metadata, line: AccessLogLine, source: String) -> [UInt8] {
        let own = line.fields
        var bytes = start(timestamp: timestamp, level: .info, label: label, capacity: 7 + own.count * 24 + line.path.utf8.count)
        var index = 0
        for (key, value) in handlerMetadata.sorted(by: { $0.key < $1.key }) {
            while index < own.count, own[index].key < key {
                appendField(own[index].key, own[index].value, to: &bytes)
                index += 1
            }
            if index < own.count, own[index].key == key { continue }  // the line's value wins, written in turn
            appendField(key, value, to: &bytes)
        }
        while index < own.count {
            appendField(own[index].key, own[index].value, to: &bytes)
            index += 1
        }
        finish(&bytes, source: source, message: "request")
        return bytes
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
    }

    private static let clock = Mutex<(second: Int, text: String)>((-1, ""))

    /// `%Y-%m-%dT%H:%M:%S%z` in local time, formatted again only when the second changes.
    static func timestamp() -> String {
        var now = time(nil)
        let second = Int(now)
        if let cached = clock.withLock({ $0.second == second ? $0.text : nil }) { return cached }
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        let text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        clock.withLock { $0 = (second, text) }
        return text
    }
}
