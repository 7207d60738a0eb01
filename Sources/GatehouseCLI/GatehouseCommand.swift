public import ArgumentParser
import Foundation
import Logging

/// The `gatehouse` command-line tool: database migrations and user, group and permission admin.
///
/// ```
/// $ gatehouse migrate
/// $ gatehouse createsuperuser
/// $ gatehouse groups add-member editors alice
/// ```
public struct GatehouseCommand: AsyncParsableCommand {
    /// The command's name, abstract, examples and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "Django-compatible users, groups and permissions for Swift servers.",
        discussion: """
            Every command takes --database URL (or GATEHOUSE_DATABASE_URL): sqlite:///relative/path.sqlite3,
            sqlite:////absolute/path.sqlite3 or postgres://user:password@host:port/database.
            The default is sqlite:///gatehouse.sqlite3 in the working directory.

            Example:
              gatehouse migrate
              gatehouse createsuperuser --username admin --email admin@example.com
            """,
        subcommands: [
            MigrateCommand.self,
            CreateSuperuserCommand.self,
            ChangePasswordCommand.self,
            UsersCommand.self,
            GroupsCommand.self,
            PermissionsCommand.self,
            ServeCommand.self,
            CheckCommand.self,
            ClearSessionsCommand.self,
            SessionsCommand.self,
            ThrottleCommand.self,
            PolicyCommand.self,
        ]
    )

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Logs to standard error: `serve` as its `--log-format` and `--log-level` say; the admin commands
    /// as text, quiet unless something is wrong (or `GATEHOUSE_LOG_LEVEL` says otherwise). Audit
    /// events also go to `--audit-log` or `GATEHOUSE_AUDIT_LOG` when set (``AuditFile``).
    static func bootstrapLogging(for command: any ParsableCommand) throws {
        let audit = try OperationsOptions.auditLogPath(flag: (command as? ServeCommand)?.operations.auditLog).map { try AuditFile.open($0) }
        defer { if let note = audit?.note { Logger(label: "gatehouse.serve").warning("\(note)") } }
        if let serve = command as? ServeCommand {
            let (format, level) = try serve.logging.resolved()
            LoggingSystem.bootstrap(AuditFile.including(audit?.file) { label in
                switch format {
                case .json:
                    var handler = JSONLogHandler(label: label)
                    handler.logLevel = level
                    return handler
                case .text:
                    var handler = TextLogHandler(label: label)
                    handler.logLevel = level
                    return handler
                }
            })
            return
        }
        let level = ProcessInfo.processInfo.environment["GATEHOUSE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        LoggingSystem.bootstrap(AuditFile.including(audit?.file) { label in
            var handler = TextLogHandler(label: label)
            handler.logLevel = level
            return handler
        })
    }

    /// Runs the process's Swift concurrency tasks on SwiftNIO's event loops, unless the environment
    /// says `GATEHOUSE_EXECUTOR=swift` (docs/operations.md). The `gatehouse` executable calls it
    /// first thing, on the main thread, before ``runAndExit(arguments:)``.
    public static func adoptEventLoopExecutor() {
        EventLoopExecutor.adoptUnlessDisabled()
    }

    /// Parses the arguments, runs the chosen command and exits: status 0 on success, and a one-line
    /// `Error: ...` on standard error with a non-zero status on failure, never a stack trace.
    ///
    /// A ``ConfigurableCommand`` (`serve`) first gets the options it was not given from the
    /// environment and its `--config` file (``LayeredSettings``), and answers `--print-config`.
    public static func runAndExit(arguments: [String]? = nil) async -> Never {
        let typed = arguments ?? Array(CommandLine.arguments.dropFirst())
        var layered: LayeredSettings?
        do {
            layered = try LayeredSettings.resolve(arguments: typed, root: GatehouseCommand.self)
            var command = try parseAsRoot(layered?.arguments ?? typed)
            if let layered, layered.printRequested || layered.tableRequested {
                print(layered.printRequested ? layered.report : layered.table, terminator: "")
                exit(withError: nil)
            }
            try bootstrapLogging(for: command)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            if let audited = command as? any AuditedCommand { CLIAudit.record(audited.auditEvent) }
            LogLineWriter.standardError.flush()
            exit(withError: nil)
        } catch {
            LogLineWriter.standardError.flush()  // the lines logged before the error, before it
            if let layered, let failure = CommandFailure.wrap(error) as? CommandFailure {
                // A value from the environment or the file that the command refuses: say where it was set.
                exit(withError: CommandFailure(layered.attributed(failure.message)))
            }
            if let hint = SubcommandSuggestion.message(arguments: typed, root: GatehouseCommand.self) {
                FileHandle.standardError.write(Data("Error: \(hint)\n  See 'gatehouse --help' for the commands.\n".utf8))
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
            exit(withError: CommandFailure.wrap(error))
        }
    }
}
