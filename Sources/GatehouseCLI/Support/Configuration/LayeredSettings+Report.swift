import Foundation

extension LayeredSettings {
    /// What `--print-config` prints: a line `name: value  # source` per setting, in the help's
    /// order, with secrets hidden (``SettingRedaction``).
    var report: String {
        var lines = ["# \(commandName): the settings in force (flag > env > file > default), secrets hidden"]
        for resolved in settings {
            lines.append("\(resolved.setting.name): \(resolved.shownValue)  # \(resolved.source)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What `--print-config-table` prints, and docs/operations.md carries: a Markdown table of every
    /// setting with its environment variable, its default and its help.
    var table: String {
        var lines = ["| key | environment | default | what it sets |", "| --- | --- | --- | --- |"]
        for resolved in settings {
            let setting = resolved.setting
            let variables = ([setting.environmentName] + setting.environmentAliases).map { "`\($0)`" }.joined(separator: " or ")
            let fallback = setting.isFlag ? "false" : ""
            let defaultValue = setting.isRepeating ? "" : setting.defaultValue.map { "`\($0)`" } ?? fallback
            let what = (setting.isRepeating ? "(a list) " : "") + setting.abstract
            lines.append("| `\(setting.name)` | \(variables) | \(defaultValue) | \(Self.cell(what)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
