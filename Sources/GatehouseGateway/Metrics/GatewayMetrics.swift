import CoreMetrics
import Gatehouse
import GatehouseHummingbird

/// The gateway's metrics, through swift-metrics: `gatehouse_gateway_decisions_total{outcome, via}`,
/// `gatehouse_upstream_errors_total{kind}` and the histogram `gatehouse_upstream_duration_seconds`.
/// Every handle is made once; the labels take a few fixed values.
final class GatewayMetrics: Sendable {
    /// The handles on `MetricsSystem.factory`, made the first time the gateway counts.
    static let shared = GatewayMetrics()

    /// How a request met the policy.
    enum Outcome: String, CaseIterable {
        case allowed
        case loginRequired = "login_required"
        case forbidden
        case refusedPath = "refused_path"

        init(_ outcome: AccessOutcome) {
            switch outcome {
            case .allow: self = .allowed
            case .loginRequired: self = .loginRequired
            case .forbidden: self = .forbidden
            }
        }
    }

    /// Which door the request came through.
    enum Via: String, CaseIterable {
        /// The reverse proxy (``GatewayMiddleware``).
        case proxy
        /// The forward-auth endpoint asked by nginx, Traefik or Caddy.
        case forwardAuth = "forward_auth"
    }

    /// Why an exchange with the upstream failed.
    enum UpstreamError: String, CaseIterable {
        /// No answer within `--upstream-timeout`.
        case timeout
        /// Connection refused, reset or closed.
        case unreachable
        /// No upstream connection came free in time.
        case busy
        /// An answer that cannot be passed on.
        case invalidResponse = "invalid_response"
    }

    private let decisions: [String: Counter]
    private let upstreamErrors: [UpstreamError: Counter]
    /// The time from sending a request upstream to its answer's head.
    let upstreamDuration: CoreMetrics.Timer

    init(factory: any MetricsFactory = MetricsSystem.factory) {
        var decisions: [String: Counter] = [:]
        for outcome in Outcome.allCases {
            for via in Via.allCases {
                decisions[outcome.rawValue + via.rawValue] = Counter(
                    label: "gatehouse_gateway_decisions_total", dimensions: [("outcome", outcome.rawValue), ("via", via.rawValue)], factory: factory
                )
            }
        }
        self.decisions = decisions
        var errors: [UpstreamError: Counter] = [:]
        for kind in UpstreamError.allCases {
            errors[kind] = Counter(label: "gatehouse_upstream_errors_total", dimensions: [("kind", kind.rawValue)], factory: factory)
        }
        upstreamErrors = errors
        upstreamDuration = CoreMetrics.Timer(label: "gatehouse_upstream_duration_seconds", factory: factory)
    }

    /// Counts one decision.
    func count(_ outcome: Outcome, via: Via) {
        decisions[outcome.rawValue + via.rawValue]?.increment()
    }

    /// Records how long the upstream took to answer a request sent at `sent`.
    func recordUpstream(since sent: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - sent
        upstreamDuration.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// Counts one failed exchange with the upstream.
    func count(_ error: UpstreamError) {
        upstreamErrors[error]?.increment()
    }

    /// Writes the `gateway.forbidden` audit event: who was refused which path (redacted as in the
    /// access line), and through which door.
    static func auditForbidden(account: any UserAccount, path: String, method: String, via: Via, client: String?) {
        var fields = ["path": String(AccessLogRedaction.redacted(path: path, query: nil).prefix(1_024)), "method": method, "via": via.rawValue]
        if let id = account.userID { fields["user_id"] = String(id) }
        if account.isAuthenticated { fields["username"] = account.username }
        fields["client"] = client
        AuditLog().record(AuditEvent("gateway.forbidden", fields))
    }
}
