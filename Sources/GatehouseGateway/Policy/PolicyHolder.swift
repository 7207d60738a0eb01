public import Logging
import Synchronization

/// The policy in force, replaceable while the server runs (SIGHUP): a file that does not parse
/// leaves the old policy in place, and the log says why.
///
/// ```swift
/// let holder = PolicyHolder(try GatewayPolicy(contentsOfFile: "policy.yaml"), file: "policy.yaml")
/// holder.reload(logger: logger)   // on SIGHUP
/// ```
public final class PolicyHolder: Sendable {
    private let current: Mutex<GatewayPolicy>
    /// The file reloads read, if any.
    public let file: String?

    /// Holds `policy`, read from `file`.
    public init(_ policy: GatewayPolicy, file: String? = nil) {
        self.current = Mutex(policy)
        self.file = file
    }

    /// The policy in force.
    public var policy: GatewayPolicy { current.withLock { $0 } }

    /// Reads ``file`` again; on success the new policy is in force for the next request, otherwise
    /// the old one stays. Returns whether it was replaced.
    @discardableResult
    public func reload(logger: Logger) -> Bool {
        guard let file else { return false }
        do {
            let fresh = try GatewayPolicy(contentsOfFile: file)
            current.withLock { $0 = fresh }
            logger.notice("policy reloaded", metadata: ["file": .string(file), "rules": .stringConvertible(fresh.rules.count)])
            return true
        } catch {
            logger.error("policy not reloaded; the previous one stays in force", metadata: ["file": .string(file), "reason": .string("\(error)")])
            return false
        }
    }
}
