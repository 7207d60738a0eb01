import Foundation
import Gatehouse
import Testing

/// The one rulebook, without HTTP: every requirement kind against every kind of account.
@Suite("Access requirements: one decision function")
struct AccessRequirementTests {
    struct People {
        let store = MemoryAuthStore()
        var accounts: [String: any UserAccount] = ["anonymous": AnonymousUser()]
        var checker: PermissionChecker { PermissionChecker(backends: [ModelPermissionBackend(store: store)]) }

        static func make() async throws -> People {
            var people = People()
            let store = people.store
            let posts = try await store.insertContentType(appLabel: "blog", model: "post")
            let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: posts.id)
            let editors = try await store.insertGroup(name: "editors")
            func user(_ name: String, active: Bool = true, staff: Bool = false, superuser: Bool = false) async throws -> User {
                var draft = NewUser(username: name, password: "!", dateJoined: Date())
                draft.isActive = active
                draft.isStaff = staff
                draft.isSuperuser = superuser
                return try await store.insertUser(draft)
            }
            let reader = try await user("reader")
            try await store.grant(view.id, toUser: reader.id)
            try await store.addUser(reader.id, toGroup: editors.id)
            let retired = try await user("retired", active: false)
            try await store.grant(view.id, toUser: retired.id)
            try await store.addUser(retired.id, toGroup: editors.id)
            people.accounts["reader"] = reader
            people.accounts["retired"] = retired
            people.accounts["plain"] = try await user("plain")
            people.accounts["staff"] = try await user("staff", staff: true)
            people.accounts["retiredStaff"] = try await user("retiredStaff", active: false, staff: true)
            people.accounts["root"] = try await user("root", superuser: true)
            return people
        }

        func groups(of account: any UserAccount) async throws -> Set<String> {
            guard let id = account.userID else { return [] }
            return Set(await store.groups(ofUser: id).map(\.name))
        }
    }

    static let A = AccessOutcome.allow, L = AccessOutcome.loginRequired, F = AccessOutcome.forbidden
    static let post = PermissionTarget(appLabel: "blog", model: "post", objectID: "1")

    // Columns: anonymous, plain, reader, retired (inactive, with the permission and group), staff,
    // retiredStaff (inactive), root (superuser).
    static let table: [(AccessRequirement, [AccessOutcome])] = [
        (.public, [A, A, A, A, A, A, A]),
        (.deny, [F, F, F, F, F, F, F]),
        (.authenticated, [L, A, A, A, A, A, A]),
        (.staff, [L, F, F, F, A, F, F]),
        (.superuser, [L, F, F, F, F, F, A]),
        (.allPermissions(["blog.view_post"]), [L, F, A, F, F, F, A]),
        (.anyPermissions(["blog.view_post", "blog.nothing"]), [L, F, A, F, F, F, A]),
        (.allPermissions(["blog.view_post", "blog.nothing"]), [L, F, F, F, F, F, A]),
        (.groups(["editors"]), [L, F, A, F, F, F, F]),
        (.objectPermission("blog.view_post", on: post), [L, F, F, F, F, F, A]),
        (.custom(name: "named r", test: { $0.username.hasPrefix("r") }), [L, F, A, A, F, A, A]),
        (.custom(name: "everyone", test: { _ in true }), [A, A, A, A, A, A, A]),
    ]

    @Test func everyRequirementAgainstEveryKindOfAccount() async throws {
        let people = try await People.make()
        let columns = ["anonymous", "plain", "reader", "retired", "staff", "retiredStaff", "root"]
        for (requirement, expected) in Self.table {
            for (column, outcome) in zip(columns, expected) {
                let account = try #require(people.accounts[column])
                let decided = try await requirement.outcome(for: account, checker: people.checker) { try await people.groups(of: account) }
                #expect(decided == outcome, "\(requirement) for \(column): \(decided)")
            }
        }
    }

    @Test func groupsAreAskedOnlyForGroupRequirements() async throws {
        let people = try await People.make()
        let reader = try #require(people.accounts["reader"])
        var asked = 0
        for requirement: AccessRequirement in [.authenticated, .staff, .allPermissions(["blog.view_post"])] {
            _ = try await requirement.outcome(for: reader, checker: people.checker) {
                asked += 1
                return []
            }
        }
        #expect(asked == 0)
        _ = try await AccessRequirement.groups(["x"]).outcome(for: reader, checker: people.checker) {
            asked += 1
            return []
        }
        #expect(asked == 1)
    }

    @Test func requirementsCompareWithoutTheirClosures() {
        #expect(AccessRequirement.custom(name: "a", test: { _ in true }) == .custom(name: "a", test: { _ in false }))
        #expect(AccessRequirement.custom(name: "a", test: { _ in true }) != .custom(name: "b", test: { _ in true }))
        #expect(AccessRequirement.objectPermission("x", on: Self.post) != .objectPermission("y", on: Self.post))
        #expect(AccessRequirement.groups(["a"]).description == "groups: [a]")
    }
}
