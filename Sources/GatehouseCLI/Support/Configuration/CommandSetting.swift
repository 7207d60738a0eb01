import ArgumentParser
import Foundation

/// One option of a command that the environment and a settings file can set, read from what the
/// command declares (ArgumentParser's `--experimental-dump-help` description of it), so that an
/// option added to the command is a setting without further work.
struct CommandSetting: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `--name value`.
        case option
        /// `--name` alone (true), with `--no-name` when the flag has that inversion.
        case flag(negation: String?)
    }

    /// The long name without dashes: the key in a settings file.
    let name: String
    /// Every spelling on the command line, with dashes (`--port`, `-p`, `--no-color`).
    let spellings: Set<String>
    let kind: Kind
    let isRepeating: Bool
    /// The default as the help shows it, if the option has one.
    let defaultValue: String?
    /// The values an option accepts, when it lists them (an enumeration).
    let choices: [String]
    /// The value's name in the help (`<seconds>`).
    let valueName: String
    /// The help's first sentence or so.
    let abstract: String

    var isFlag: Bool { if case .flag = kind { true } else { false } }

    /// `GATEHOUSE_` and the name in capitals, `-` as `_`: `GATEHOUSE_UPSTREAM_TIMEOUT`.
    var environmentName: String { Self.environmentName(for: name) }

    /// Older names that keep working after ``environmentName``: the plural of a repeatable option
    /// (`GATEHOUSE_ALLOWED_HOSTS`), and `GATEHOUSE_DATABASE_URL` for `--database`.
    var environmentAliases: [String] {
        var aliases: [String] = []
        if name == "database" { aliases.append("GATEHOUSE_DATABASE_URL") }
        if isRepeating { aliases.append(Self.environmentName(for: Self.plural(of: name))) }
        return aliases
    }

    /// Whether the whole value is a secret: its name has `key`, `secret`, `password` or `token` in it.
    var isSecret: Bool { SettingRedaction.isSecretName(name) }

    static func environmentName(for name: String) -> String {
        "GATEHOUSE_" + String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// `allowed-host` → `allowed-hosts`, `trusted-proxy` → `trusted-proxies`.
    static func plural(of name: String) -> String {
        if name.hasSuffix("y"), let before = name.dropLast().last, !"aeiou".contains(before) { return String(name.dropLast()) + "ies" }
        if name.hasSuffix("s") || name.hasSuffix("x") || name.hasSuffix("ch") || name.hasSuffix("sh") { return name + "es" }
        return name + "s"
    }
}

extension CommandSetting {
    /// The settings of `command`: its named options and flags, those of its option groups included,
    /// without help, version and ``ConfigFileOptions``'s own.
    static func all(of command: any ParsableCommand.Type) -> [CommandSetting] {
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(command._dumpHelp().utf8)) else { return [] }
        let arguments = dump.command.arguments ?? []
        let flagNames = Set(arguments.filter { $0.kind == "flag" }.compactMap(\.longName))
        var settings: [CommandSetting] = []
        for argument in arguments where argument.kind == "option" || argument.kind == "flag" {
            guard let name = argument.longName, !Self.excluded.contains(name), !ConfigFileOptions.names.contains(name) else { continue }
            // `--no-x` of a flag `--x` is that flag's false, not a setting of its own.
            if argument.kind == "flag", name.hasPrefix("no-"), flagNames.contains(String(name.dropFirst(3))) { continue }
            let spellings = Set((argument.names ?? []).map { $0.kind == "short" ? "-\($0.name)" : "--\($0.name)" })
            let kind: Kind
            if argument.kind == "flag" {
                let negation = flagNames.contains("no-\(name)") ? "--no-\(name)" : nil
                kind = .flag(negation: negation)
            } else {
                kind = .option
            }
            settings.append(
                CommandSetting(
                    name: name, spellings: negationSpellings(name, kind).union(spellings), kind: kind, isRepeating: argument.isRepeating,
                    defaultValue: argument.defaultValue, choices: argument.allValues ?? [], valueName: argument.valueName ?? name,
                    abstract: argument.abstract ?? ""
                )
            )
        }
        return settings
    }

    private static func negationSpellings(_ name: String, _ kind: Kind) -> Set<String> {
        if case .flag(let negation?) = kind { [negation] } else { [] }
    }

    private static let excluded: Set<String> = ["help", "version", "experimental-dump-help", "generate-completion-script"]

    /// The part of ArgumentParser's ToolInfo (serialization version 0) read here.
    private struct Dump: Decodable {
        struct Name: Decodable {
            let kind: String
            let name: String
        }
        struct Argument: Decodable {
            let kind: String
            let names: [Name]?
            let isRepeating: Bool
            let valueName: String?
            let defaultValue: String?
            let allValues: [String]?
            let abstract: String?

            var longName: String? { names?.first { $0.kind == "long" }?.name }
        }
        struct Command: Decodable {
            let arguments: [Argument]?
        }
        let command: Command
    }
}
