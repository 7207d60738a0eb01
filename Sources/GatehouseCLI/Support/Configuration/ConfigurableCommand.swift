import ArgumentParser

/// A command whose options also come from `GATEHOUSE_*` environment variables and from a `--config`
/// YAML file (flag > environment > file > default), and that answers `--print-config`.
///
/// Conforming is all a command does: declare `@OptionGroup var settings: ConfigFileOptions` for
/// `--config` and `--print-config`, and every option it declares, its option groups' too, is covered
/// by ``LayeredSettings`` before ArgumentParser parses the command line.
protocol ConfigurableCommand: ParsableCommand {
    /// Long option names that only the command line sets (a command's own switches, as opposed to
    /// the settings it shares with others).
    static var commandLineOnlyOptions: Set<String> { get }
}

extension ConfigurableCommand {
    static var commandLineOnlyOptions: Set<String> { [] }
}
