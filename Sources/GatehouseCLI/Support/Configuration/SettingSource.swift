/// Where a setting's value in force came from, in the order they win.
enum SettingSource: Sendable, Hashable, CustomStringConvertible {
    /// The command line, as typed (`--port`).
    case flag(String)
    /// An environment variable.
    case environment(String)
    /// A key of the settings file.
    case file(path: String, line: Int?)
    /// Nothing set it.
    case defaultValue

    /// `flag --port`, `env GATEHOUSE_PORT`, `file gatehouse.yaml:3`, `default`.
    var description: String {
        switch self {
        case .flag(let spelling): "flag \(spelling)"
        case .environment(let variable): "env \(variable)"
        case .file(let path, let line): "file \(path)\(line.map { ":\($0)" } ?? "")"
        case .defaultValue: "default"
        }
    }

    /// For a message about a value from here: `(set by GATEHOUSE_PORT)`, `(set in gatehouse.yaml line 3)`.
    var attribution: String? {
        switch self {
        case .flag, .defaultValue: nil
        case .environment(let variable): "(set by \(variable))"
        case .file(let path, let line): "(set in \(path)\(line.map { " line \($0)" } ?? ""))"
        }
    }
}

/// A setting and its value in force.
struct ResolvedSetting: Sendable {
    let setting: CommandSetting
    /// The values: one for an option (none when unset), any number for a repeatable option,
    /// `true` or `false` for a flag.
    let values: [String]
    let source: SettingSource

    /// The command-line arguments that give these values, for a source other than the command line.
    var arguments: [String] {
        switch source {
        case .flag, .defaultValue: return []
        case .environment, .file: break
        }
        switch setting.kind {
        case .flag(let negation):
            if values.first == "true" { return ["--\(setting.name)"] }
            return negation.map { [$0] } ?? []
        case .option:
            // `--name=value`, so that a value starting with `-` stays a value.
            return values.map { "--\(setting.name)=\($0)" }
        }
    }

    /// The value as `--print-config` shows it, secrets hidden.
    var shownValue: String {
        let shown = values.map { SettingRedaction.shown($0, name: setting.name) }
        if setting.isRepeating { return "[" + shown.joined(separator: ", ") + "]" }
        if setting.isFlag { return values.first ?? "false" }
        return shown.first ?? "(none)"
    }
}
