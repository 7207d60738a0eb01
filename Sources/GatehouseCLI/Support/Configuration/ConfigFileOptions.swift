import ArgumentParser

/// `--config FILE` and `--print-config`, on every ``ConfigurableCommand``: a YAML file of settings
/// below the environment, and a look at the settings in force. ``LayeredSettings`` acts on them before
/// the command runs, so the command itself only declares them.
struct ConfigFileOptions: ParsableArguments {
    /// The long names of these options: they are about the settings, so they are not settings
    /// themselves (only `--config` also comes from `GATEHOUSE_CONFIG`).
    static let names: Set<String> = ["config", "print-config", "print-config-table"]

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "A YAML file of settings, keyed by the long option names (upstream-timeout: 45); flags and GATEHOUSE_* environment variables win over it (default: $GATEHOUSE_CONFIG). See docs/operations.md.",
            valueName: "file"
        )
    )
    var file: String?

    @Flag(
        name: .customLong("print-config"),
        help: "Print every setting in force and where it came from (flag, env, file or default), secrets hidden, then exit without serving."
    )
    var printConfig = false

    /// The Markdown table of every setting that docs/operations.md carries.
    @Flag(name: .customLong("print-config-table"), help: ArgumentHelp("The settings as a Markdown table, for the docs.", visibility: .hidden))
    var printTable = false
}
