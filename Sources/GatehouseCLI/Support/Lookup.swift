import Gatehouse
import GatehouseSQL

/// Finding named things for commands, with one-line errors when they do not exist.
extension CommandDatabase {
    func user(named username: String) async throws -> User {
        guard let user = try await store.user(username: username) else {
            throw CommandFailure("no user named '\(Username.normalize(username))'")
        }
        return user
    }

    func group(named name: String) async throws -> Group {
        guard let group = try await store.group(name: name) else {
            throw CommandFailure("no group named '\(name)'")
        }
        return group
    }

    func permission(named name: String) async throws -> Permission {
        let parsed = try PermissionName(name)
        guard let permission = try await store.permission(appLabel: parsed.appLabel, codename: parsed.codename) else {
            throw CommandFailure("no permission named '\(parsed)'")
        }
        return permission
    }
}

extension Bool {
    var yesNo: String { self ? "yes" : "no" }
}
