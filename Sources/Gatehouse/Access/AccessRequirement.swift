/// What a request needs: the one vocabulary that guards, the gateway's policy file and forward
/// auth all decide with (see ``AccessRequirement/outcome(for:checker:groups:)``).
///
/// ```swift
/// let requirement = AccessRequirement.anyPermissions(["reports.view", "reports.admin"])
/// let outcome = try await requirement.outcome(for: user, checker: checker) { ["editors"] }
/// ```
public enum AccessRequirement: Sendable, Hashable, CustomStringConvertible {
    /// Anyone.
    case `public`
    /// A logged-in user: one a backend restored from the session. With the default backend that
    /// is an active user; a backend that accepts inactive users (Django's `AllowAllUsersModelBackend`)
    /// lets them through here too, as Django's `login_required` does.
    case authenticated
    /// An active staff member (`is_staff`), as Django's `staff_member_required`.
    case staff
    /// An active superuser.
    case superuser
    /// Nobody, logged in or not (403).
    case deny
    /// Every one of the permissions (`app_label.codename`); superusers have them all.
    case allPermissions([String])
    /// At least one of the permissions.
    case anyPermissions([String])
    /// Membership of at least one of the groups, by an active user (superusers only when members).
    case groups([String])
    /// The permission on one object (see ``PermissionChecker/hasPermission(_:_:on:)``).
    case objectPermission(String, on: PermissionTarget)
    /// A test of your own, as Django's `user_passes_test`: asked for anonymous visitors too. `name`
    /// tells requirements apart (two custom requirements are equal when their names are).
    case custom(name: String, test: @Sendable (any UserAccount) async throws -> Bool)

    /// The requirement as a policy file writes it.
    public var description: String {
        switch self {
        case .public: "public"
        case .authenticated: "authenticated"
        case .staff: "staff"
        case .superuser: "superuser"
        case .deny: "deny"
        case .allPermissions(let names): "permissions: [\(names.joined(separator: ", "))]"
        case .anyPermissions(let names): "any_permissions: [\(names.joined(separator: ", "))]"
        case .groups(let names): "groups: [\(names.joined(separator: ", "))]"
        case .objectPermission(let name, let target): "\(name) on \(target.appLabel).\(target.model) \(target.objectID)"
        case .custom(let name, _): "custom: \(name)"
        }
    }

    public static func == (lhs: AccessRequirement, rhs: AccessRequirement) -> Bool {
        lhs.key == rhs.key
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
    }

    /// What equality and hashing compare: everything but a custom test's closure.
    private var key: String {
        switch self {
        case .objectPermission(let name, let target): "object:\(name)\u{0}\(target.appLabel)\u{0}\(target.model)\u{0}\(target.objectID)"
        case .custom(let name, _): "custom:\(name)"
        default: description
        }
    }
}
