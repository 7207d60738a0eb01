import ArgumentParser
import Foundation
import Logging

/// `serve --metrics-address HOST:PORT` and `--audit-log FILE`, each falling back to its
/// environment variable (`GATEHOUSE_METRICS_ADDRESS`, `GATEHOUSE_AUDIT_LOG`); both are off unless set.
struct OperationsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-address"),
        help: ArgumentHelp(
            "Serve Prometheus metrics at http://HOST:PORT/metrics, a listener of its own (default: $GATEHOUSE_METRICS_ADDRESS, else off).",
            valueName: "host:port"
        )
    )
    var metricsAddress: String?

    @Option(
        name: .customLong("audit-log"),
        help: ArgumentHelp(
            "Append audit events (logins, logouts, password and permission changes) to FILE as JSON lines, mode 0600 (default: $GATEHOUSE_AUDIT_LOG, else off).",
            valueName: "file"
        )
    )
    var auditLog: String?

    /// The metrics listener's address, if metrics are on; throws for one that is not `HOST:PORT`.
    func resolvedMetricsAddress(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MetricsAddress? {
        let flag = metricsAddress != nil
        guard let text = metricsAddress ?? environment["GATEHOUSE_METRICS_ADDRESS"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        guard let address = MetricsAddress(text) else {
            throw CommandFailure(
                "\(flag ? "--metrics-address" : "GATEHOUSE_METRICS_ADDRESS") must be HOST:PORT, such as 127.0.0.1:9090 or [::1]:9090 (got '\(text)')"
            )
        }
        return address
    }

    /// Starts the Prometheus listener when metrics are on (``MetricsServer``); the task to cancel at the end.
    func startMetrics(logger: Logger) async throws -> Task<Void, Never>? {
        guard let address = try resolvedMetricsAddress() else { return nil }
        return try await MetricsServer.start(at: address, logger: logger)
    }

    /// The audit file, if any: the flag, else `GATEHOUSE_AUDIT_LOG` (the admin commands read the variable too).
    func resolvedAuditLog(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        Self.auditLogPath(flag: auditLog, environment: environment)
    }

    /// The audit file named by `flag`, else by `GATEHOUSE_AUDIT_LOG`; `nil` when neither says.
    static func auditLogPath(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let path = flag ?? environment["GATEHOUSE_AUDIT_LOG"], !path.isEmpty else { return nil }
        return path
    }
}
