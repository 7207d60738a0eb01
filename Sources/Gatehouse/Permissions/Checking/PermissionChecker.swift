/// Answers permission questions with Django's semantics (`has_perm`, `has_perms`,
/// `has_module_perms`, `get_all_permissions`), asking the configured backends in order.
///
/// - An active superuser has every permission, without asking the backends.
/// - Otherwise any backend's grant wins; a backend throwing ``PermissionRefused`` ends the question
///   with "no"; inactive and anonymous users get only what a backend deliberately grants them.
///
/// ```swift
/// let checker = PermissionChecker(backends: [ModelPermissionBackend(store: store)])
/// if try await checker.hasPermission(user, "blog.change_post") { ... }
/// ```
public struct PermissionChecker: Sendable {
    /// The backends, in the order they are asked.
    public let backends: [any PermissionBackend]

    /// Creates the checker.
    public init(backends: [any PermissionBackend]) {
        self.backends = backends
    }

    /// Whether `account` holds `permission` (`app_label.codename`), globally or on `target`.
    public func hasPermission(_ account: any UserAccount, _ permission: String, on target: PermissionTarget? = nil) async throws -> Bool {
        if account.isActive && account.isSuperuser { return true }
        for backend in backends {
            do {
                if try await backend.hasPermission(account, permission, on: target) { return true }
            } catch is PermissionRefused {
                return false
            }
        }
        return false
    }

    /// Whether `account` holds every one of `permissions` (`true` for an empty list, as Django).
    public func hasPermissions(_ account: any UserAccount, _ permissions: [String], on target: PermissionTarget? = nil) async throws -> Bool {
        for permission in permissions where !(try await hasPermission(account, permission, on: target)) {
            return false
        }
        return true
    }

    /// Whether `account` holds at least one of `permissions`.
    public func hasAnyPermission(_ account: any UserAccount, _ permissions: [String], on target: PermissionTarget? = nil) async throws -> Bool {
        for permission in permissions where try await hasPermission(account, permission, on: target) {
            return true
        }
        return false
    }

    /// Whether `account` holds any permission of the application `appLabel`.
    public func hasModulePermissions(_ account: any UserAccount, appLabel: String) async throws -> Bool {
        if account.isActive && account.isSuperuser { return true }
        for backend in backends {
            do {
                if try await backend.hasModulePermissions(account, appLabel: appLabel) { return true }
            } catch is PermissionRefused {
                return false
            }
        }
        return false
    }

    /// Every permission the backends grant `account` (Django's `get_all_permissions`).
    public func allPermissions(of account: any UserAccount, on target: PermissionTarget? = nil) async throws -> Set<String> {
        var result: Set<String> = []
        for backend in backends {
            result.formUnion(try await backend.permissions(of: account, on: target))
        }
        return result
    }
}
