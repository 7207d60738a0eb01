import Gatehouse

// The audit events of the admin commands (docs/operations.md, "Audit events").

extension UsersCommand.Create: AuditedCommand {
    var auditEvent: AuditEvent {
        AuditEvent("user.created", ["username": username, "staff": String(staff), "superuser": String(superuser)])
    }
}

extension UsersCommand.Deactivate: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("user.deactivated", ["username": username]) }
}

extension UsersCommand.Activate: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("user.activated", ["username": username]) }
}

extension UsersCommand.SetEmail: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("user.email_changed", ["username": username]) }
}

extension UsersCommand.Delete: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("user.deleted", ["username": username]) }
}

extension ChangePasswordCommand: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("password.changed", ["username": username, "via": "cli"]) }
}

extension GroupsCommand.Create: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("group.created", ["group": name]) }
}

extension GroupsCommand.Delete: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("group.deleted", ["group": name]) }
}

extension GroupsCommand.AddMember: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("group.member_added", ["group": group, "username": username]) }
}

extension GroupsCommand.RemoveMember: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("group.member_removed", ["group": group, "username": username]) }
}

extension GroupsCommand.Grant: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("group.permission_granted", ["group": group, "permission": permission]) }
}

extension GroupsCommand.Revoke: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("group.permission_revoked", ["group": group, "permission": permission]) }
}

extension GroupsCommand.GrantObject: AuditedCommand {
    var auditEvent: AuditEvent {
        AuditEvent("group.permission_granted", ["group": group, "permission": permission, "object_id": String(objectID.prefix(255))])
    }
}

extension GroupsCommand.RevokeObject: AuditedCommand {
    var auditEvent: AuditEvent {
        AuditEvent("group.permission_revoked", ["group": group, "permission": permission, "object_id": String(objectID.prefix(255))])
    }
}

extension PermissionsCommand.Create: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("permission.created", ["permission": permission, "model": model]) }
}

extension PermissionsCommand.Register: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("permission.model_registered", ["model": model]) }
}

extension PermissionsCommand.Grant: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("permission.granted", ["username": username, "permission": permission]) }
}

extension PermissionsCommand.Revoke: AuditedCommand {
    var auditEvent: AuditEvent { AuditEvent("permission.revoked", ["username": username, "permission": permission]) }
}

extension PermissionsCommand.GrantObject: AuditedCommand {
    var auditEvent: AuditEvent {
        AuditEvent("permission.granted", ["username": username, "permission": permission, "object_id": String(objectID.prefix(255))])
    }
}

extension PermissionsCommand.RevokeObject: AuditedCommand {
    var auditEvent: AuditEvent {
        AuditEvent("permission.revoked", ["username": username, "permission": permission, "object_id": String(objectID.prefix(255))])
    }
}
