import ArgumentParser

/// A command whose options also come from `GATEHOUSE_*` environment variables and from a `--config`
/// YAML file (flag > environment > file > default), and that answers `--print-config`.
///
/// Conforming is all a command does: declare `@OptionGroup var settings: ConfigFileOptions` for
/// `--config` and `--print-config`, and every option it declares, its option groups' too, is covered
/// by ``LayeredSettings`` before ArgumentParser parses the command line.
protocol ConfigurableCommand: ParsableCommand {}
