import Configuration
import Foundation
import Yams

/// A `--config` file: a YAML mapping from settings' names to values (`upstream-timeout: 45`, a list
/// for a repeatable option), checked key by key against the command's settings so that a typo is an
/// error with a suggestion, never ignored. Values are read through swift-configuration's
/// `YAMLSnapshot`; Yams gives the lines that messages name.
struct SettingsFile {
    /// The path as given, which messages name.
    let path: String
    private let lines: [String: Int]
    private let sequences: Set<String>
    private let snapshot: YAMLSnapshot

    /// The most a settings file may hold.
    static let maximumSize = 1 << 20

    /// Reads and checks the file at `path` for a command with `settings`; `command` names it in
    /// messages (`gatehouse serve`).
    init(path: String, settings: [CommandSetting], command: String) throws {
        self.path = path
        let data = try Self.read(path)
        guard let text = String(data: data, encoding: .utf8) else { throw SettingsError.file(path, line: nil, "is not UTF-8 text") }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw SettingsError.file(path, line: mark.line, "not valid YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, _):
                let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
                throw SettingsError.file(path, line: nil, "\(keys) is set twice")
            default:
                throw SettingsError.file(path, line: nil, "not valid YAML")
            }
        }
        let byName = Dictionary(settings.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var lines: [String: Int] = [:]
        var sequences: Set<String> = []
        var secrets: Set<String> = []
        if let root {
            guard let mapping = root.mapping else {
                throw SettingsError.file(path, line: root.mark?.line, "must be a mapping of settings to values, such as `port: 8000`")
            }
            for (keyNode, value) in mapping {
                let line = keyNode.mark?.line
                guard let key = keyNode.scalar?.string else { throw SettingsError.file(path, line: line, "a key must be a setting's name") }
                guard let setting = byName[key] else {
                    throw SettingsError.file(path, line: line, Self.unknown(key, names: settings.map(\.name), command: command))
                }
                if let first = lines[key] { throw SettingsError.file(path, line: line, "'\(key)' is set twice (first on line \(first))") }
                lines[key] = line ?? 0
                switch value {
                case .scalar:
                    if value.null != nil { throw SettingsError.file(path, line: line, "'\(key)' has no value (leave the key out for the default)") }
                    if SettingRedaction.hasURLPassword(value.scalar?.string ?? "") { secrets.insert(key) }
                case .sequence(let items):
                    guard setting.isRepeating else { throw SettingsError.file(path, line: line, "'\(key)' takes one value, not a list") }
                    for item in items {
                        guard let scalar = item.scalar, item.null == nil else {
                            throw SettingsError.file(path, line: item.mark?.line ?? line, "each item of '\(key)' must be a plain value")
                        }
                        if SettingRedaction.hasURLPassword(scalar.string) { secrets.insert(key) }
                    }
                    sequences.insert(key)
                default:
                    throw SettingsError.file(path, line: line, "'\(key)' takes \(setting.isRepeating ? "a value or a list" : "one value"), not a mapping")
                }
                if setting.isSecret { secrets.insert(key) }
            }
        }
        self.lines = lines
        self.sequences = sequences
        do {
            // Secret values stay marked as such inside swift-configuration too (its access log).
            let hidden = secrets
            snapshot = try YAMLSnapshot(
                data: data.bytes, providerName: path,
                parsingOptions: .init(secretsSpecifier: .dynamic { key, _ in hidden.contains(key) })
            )
        } catch {
            throw SettingsError.file(path, line: nil, "cannot be read as settings (\(error))")
        }
    }

    /// The values `setting` has in the file and the line, or `nil` when the file does not set it.
    func values(for setting: CommandSetting) throws -> (values: [String], line: Int?)? {
        guard let line = lines[setting.name] else { return nil }
        let key = AbsoluteConfigKey([setting.name])
        let lineNumber = line > 0 ? line : nil
        do {
            if sequences.contains(setting.name) {
                if case .stringArray(let items) = try snapshot.value(forKey: key, type: .stringArray).value?.content {
                    return (items, lineNumber)
                }
            } else if case .string(let text) = try snapshot.value(forKey: key, type: .string).value?.content {
                return ([text], lineNumber)
            }
        } catch {
            throw SettingsError.file(path, line: lineNumber, "'\(setting.name)' cannot be read")
        }
        return nil
    }

    /// `unknown key 'upstream_timout'; did you mean 'upstream-timeout'?`
    static func unknown(_ key: String, names: [String], command: String) -> String {
        let dashed = key.replacingOccurrences(of: "_", with: "-").lowercased()
        let suggestion = names.contains(dashed) ? dashed : SubcommandSuggestion.closest(to: dashed, in: names)
        if let suggestion { return "unknown key '\(key)'; did you mean '\(suggestion)'?" }
        return "unknown key '\(key)' (the keys are the long options of '\(command)', without dashes: see '\(command) --help')"
    }

    /// The file's bytes: a regular file of at most ``maximumSize`` bytes.
    private static func read(_ path: String) throws -> Data {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw SettingsError.file(path, line: nil, FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else { throw SettingsError.file(path, line: nil, "is not a regular file") }
        if let size = attributes[.size] as? NSNumber, size.intValue > maximumSize {
            throw SettingsError.file(path, line: nil, "is larger than 1 MiB")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SettingsError.file(path, line: nil, "cannot be read") }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: maximumSize + 1) ?? Data()
            guard data.count <= maximumSize else { throw SettingsError.file(path, line: nil, "is larger than 1 MiB") }
            return data
        } catch let error as SettingsError {
            throw error
        } catch {
            throw SettingsError.file(path, line: nil, "cannot be read")
        }
    }
}
