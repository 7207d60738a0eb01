import ArgumentParser
import Configuration
import Foundation

/// The settings of a ``ConfigurableCommand``, layered: what its command line gives, then the
/// environment (`GATEHOUSE_` + the option's long name in capitals), then its `--config` YAML file
/// (the long names as keys), then the defaults. The values from the environment and the file become
/// command-line arguments before ArgumentParser parses the command, so every option the command
/// declares is covered and parsed and checked as if typed.
struct LayeredSettings {
    /// The command as typed (`gatehouse serve`), for messages.
    let commandName: String
    /// Every setting with its value in force and where it came from, in the help's order.
    let settings: [ResolvedSetting]
    /// The arguments to parse: the subcommand path, the arguments the environment and the file
    /// give, then the command line's own.
    let arguments: [String]
    /// `--print-config` was asked for.
    let printRequested: Bool
    /// `--print-config-table` was asked for.
    let tableRequested: Bool

    /// The layered settings of the command that `arguments` name under `root`, or `nil` when that
    /// command is not a ``ConfigurableCommand`` or help is asked for. Throws a ``SettingsError`` for
    /// a value or a file that cannot be used.
    static func resolve(
        arguments: [String], root: any ParsableCommand.Type, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LayeredSettings? {
        var command = root
        var path: [String] = []
        for argument in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument || $0.configuration.aliases.contains(argument) })
            else { break }
            command = next
            path.append(argument)
        }
        guard let configurable = command as? any ConfigurableCommand.Type else { return nil }
        let typed = Array(arguments.dropFirst(path.count))
        let options = typed.prefix { $0 != "--" }
        if options.contains(where: { ["-h", "--help", "--experimental-dump-help"].contains($0) }) { return nil }
        let name = ([root._commandName] + path).joined(separator: " ")
        let settings = CommandSetting.all(of: command).filter { !configurable.commandLineOnlyOptions.contains($0.name) }
        // An empty variable counts as unset, as a shell's `VAR=` usually means.
        let variables = environment.filter { $0.key.hasPrefix("GATEHOUSE_") && !$0.value.isEmpty }
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: variables,
            secretsSpecifier: .dynamic { variable, value in SettingRedaction.isSecretName(variable) || SettingRedaction.hasURLPassword(value) }
        )
        let filePath = Self.value(of: "--config", in: Array(options)).last ?? variables["GATEHOUSE_CONFIG"]
        let file = try filePath.map { try SettingsFile(path: $0, settings: settings, command: name) }

        var resolved: [ResolvedSetting] = []
        for setting in settings {
            let given = options.compactMap(Self.spelling(of:)).filter { setting.spellings.contains($0) }
            if let spelling = given.last {
                let values: [String]
                switch setting.kind {
                case .flag(let negation):
                    values = [spelling == negation ? "false" : "true"]
                case .option:
                    let all = setting.spellings.sorted().flatMap { Self.value(of: $0, in: Array(options)) }
                    values = setting.isRepeating ? all : Array(all.suffix(1))
                }
                resolved.append(ResolvedSetting(setting: setting, values: values, source: .flag(spelling)))
            } else if let found = try Self.environmentValues(of: setting, in: environmentProvider) {
                let values = try Self.checked(found.values, of: setting) { SettingsError.environment(found.variable, $0) }
                resolved.append(ResolvedSetting(setting: setting, values: values, source: .environment(found.variable)))
            } else if let file, let found = try file.values(for: setting) {
                let values = try Self.checked(found.values, of: setting) { SettingsError.file(file.path, line: found.line, "\(setting.name): \($0)") }
                resolved.append(ResolvedSetting(setting: setting, values: values, source: .file(path: file.path, line: found.line)))
            } else {
                let values = setting.isFlag ? [setting.defaultValue ?? "false"] : (setting.defaultValue.map { [$0] } ?? [])
                resolved.append(ResolvedSetting(setting: setting, values: setting.isRepeating ? [] : values, source: .defaultValue))
            }
        }
        let layered = LayeredSettings(
            commandName: name, settings: resolved,
            arguments: path + resolved.flatMap(\.arguments) + typed,
            printRequested: options.contains("--print-config"), tableRequested: options.contains("--print-config-table")
        )
        try layered.check(root: root, path: path)
        return layered
    }

    /// The message of a failure about `message` with, when a setting named in it (`--port`) came
    /// from the environment or the file, where it was set: `--port must be ... (set by GATEHOUSE_PORT)`.
    func attributed(_ message: String) -> String {
        let from = settings.compactMap { resolved -> String? in
            guard let attribution = resolved.source.attribution, Self.mentions(message, "--\(resolved.setting.name)") else { return nil }
            return attribution
        }
        return from.isEmpty ? message : message + " " + from.joined(separator: " ")
    }

    /// Parses the whole command line once; when that fails, finds the setting from the environment
    /// or the file that the parser refuses, and names its source.
    private func check(root: any ParsableCommand.Type, path: [String]) throws {
        do {
            _ = try root.parseAsRoot(arguments)
        } catch {
            for resolved in settings where resolved.source.attribution != nil {
                do {
                    _ = try root.parseAsRoot(path + resolved.arguments)
                } catch {
                    let setting = resolved.setting
                    let shown = resolved.values.map { "'\(SettingRedaction.shown($0, name: setting.name))'" }.joined(separator: ", ")
                    var message = "\(shown) is not a valid value for --\(setting.name) <\(setting.valueName)>"
                    if !setting.choices.isEmpty { message += " (one of \(setting.choices.joined(separator: ", ")))" }
                    switch resolved.source {
                    case .environment(let variable): throw SettingsError.environment(variable, message)
                    case .file(let path, let line): throw SettingsError.file(path, line: line, "\(setting.name): \(message)")
                    case .flag, .defaultValue: break
                    }
                }
            }
            // The command line itself is wrong: ArgumentParser says how, as usual.
        }
    }

    /// The first environment variable that sets `setting` (its own name, then its aliases) and the
    /// values it gives: comma-separated for a repeatable option.
    private static func environmentValues(of setting: CommandSetting, in provider: EnvironmentVariablesProvider) throws -> (values: [String], variable: String)? {
        for variable in [setting.environmentName] + setting.environmentAliases {
            let key = AbsoluteConfigKey([variable.lowercased()])
            if setting.isRepeating {
                if case .stringArray(let items) = try provider.value(forKey: key, type: .stringArray).value?.content {
                    return (items.filter { !$0.isEmpty }, variable)
                }
            } else if case .string(let text) = try provider.value(forKey: key, type: .string).value?.content {
                return ([text], variable)
            }
        }
        return nil
    }

    /// `values` for `setting`, checked and normalized: a boolean for a flag (true, false, 1, 0, yes,
    /// no), the listed spelling of a choice given in another case.
    private static func checked(_ values: [String], of setting: CommandSetting, error: (String) -> SettingsError) throws -> [String] {
        if setting.isFlag {
            let text = values.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            switch text {
            case "true", "1", "yes": return ["true"]
            case "false", "0", "no": return ["false"]
            default: throw error("'\(SettingRedaction.shown(values.first ?? "", name: setting.name))' is not a boolean (true, false, 1, 0, yes or no)")
            }
        }
        return values.map { value in setting.choices.first { $0.lowercased() == value.lowercased() } ?? value }
    }

    /// `--port` for `--port=80` and `--port`; `-p` for `-p`; `nil` for a value.
    private static func spelling(of argument: String) -> String? {
        guard argument.hasPrefix("-"), argument.count > 1 else { return nil }
        return argument.hasPrefix("--") ? String(argument.prefix { $0 != "=" }) : argument
    }

    /// The values given to the option spelled `spelling`: `--name=value` or `--name value`.
    private static func value(of spelling: String, in arguments: [String]) -> [String] {
        var values: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument.hasPrefix(spelling + "="), spelling.hasPrefix("--") {
                values.append(String(argument.dropFirst(spelling.count + 1)))
            } else if argument == spelling, index + 1 < arguments.endIndex {
                values.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        return values
    }

    /// Whether `message` names the option `flag` itself, not a longer one that starts the same.
    private static func mentions(_ message: String, _ flag: String) -> Bool {
        var rest = message[...]
        while let range = rest.range(of: flag) {
            let next = rest[range.upperBound...].first
            if next.map({ !($0.isLetter || $0.isNumber || $0 == "-") }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }
}
