package import Logging

/// Writes ``AuditEvent``s through swift-log at `notice`, on the logger labelled
/// ``label`` (`gatehouse.audit`): the event's name is the message and its fields the metadata, with
/// the name again as `event`. Route that label where the trail should go (`gatehouse serve
/// --audit-log FILE` appends it to a file as JSON lines).
package struct AuditLog: Sendable {
    /// The label of the audit logger.
    package static let label = "gatehouse.audit"

    /// The logger events go to.
    package let logger: Logger

    /// An audit log on `logger` (by default the one labelled ``label``).
    package init(logger: Logger = Logger(label: AuditLog.label)) {
        self.logger = logger
    }

    /// Writes `event` at `notice`.
    package func record(_ event: AuditEvent) {
        var metadata: Logger.Metadata = ["event": .string(event.name)]
        for (key, value) in event.fields { metadata[key] = .string(value) }
        logger.notice("\(event.name)", metadata: metadata)
    }
}
