import Foundation
import Gatehouse

/// An admin command that changes users, groups, permissions or sessions: once it has succeeded,
/// ``GatehouseCommand`` writes its ``auditEvent`` to the audit log (`GATEHOUSE_AUDIT_LOG`), with
/// `by: admin` and the operating-system user who ran it as `os_user`.
protocol AuditedCommand {
    /// What the command changed: a stable name and fields, never a password.
    var auditEvent: AuditEvent { get }
}

/// Writes the audit events of admin commands.
enum CLIAudit {
    /// Writes `name` with `fields`, marked as done by an administrator through the CLI.
    static func record(_ name: String, _ fields: [String: String]) {
        var fields = fields
        fields["by"] = "admin"
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["USER"] ?? environment["LOGNAME"] { fields["os_user"] = AuditEvent.scrubbed(user) }
        AuditLog().record(AuditEvent(name, fields))
    }

    /// Writes `event` the same way.
    static func record(_ event: AuditEvent) {
        record(event.name, event.fields)
    }
}
