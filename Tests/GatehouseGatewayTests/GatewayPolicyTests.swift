import Foundation
import Gatehouse
import GatehouseGateway
import Testing

@Suite("Gateway policy file")
struct GatewayPolicyTests {
    static let example = """
        default: authenticated          # or: public, deny
        rules:
          - path: /static/              # a prefix; globs like /reports/*/pdf also work
            require: public
          - path: /secret/
            require:
              permissions: [refapp.view_secret]        # all of them
          - path: /reports/
            methods: [GET, HEAD]
            require:
              any_permissions: [reports.view, reports.admin]
          - path: /reports/*/pdf
            require: superuser
          - path: /staff/
            require: staff              # or: superuser, authenticated
          - path: /team/
            require:
              groups: [editors, admins] # member of any of them
          - path: /closed/
            require: deny
        """

    struct World {
        let store = MemoryAuthStore()
        var checker: PermissionChecker { PermissionChecker(backends: [ModelPermissionBackend(store: store)]) }
    }

    static func user(_ name: String, staff: Bool = false, superuser: Bool = false, active: Bool = true, id: Int64 = 1) -> User {
        User(
            id: id, password: "!", lastLogin: nil, isSuperuser: superuser, username: name, firstName: "", lastName: "", email: "",
            isStaff: staff, isActive: active, dateJoined: Date(timeIntervalSince1970: 0)
        )
    }

    @Test func theIssuesExampleParsesWithLines() throws {
        let policy = try GatewayPolicy(yaml: Self.example)
        #expect(policy.defaultRequirement == .authenticated)
        #expect(policy.rules.count == 7)
        #expect(policy.rules[0].line == 3 && policy.rules[0].requirement == .public)
        #expect(policy.rules[1].requirement == .allPermissions(["refapp.view_secret"]))
        #expect(policy.rules[2].methods == ["GET", "HEAD"])
        #expect(policy.rules[2].requirement == .anyPermissions(["reports.view", "reports.admin"]))
        #expect(policy.rules[5].requirement == .groups(["editors", "admins"]))
    }

    @Test func theMostSpecificRuleWinsAndMethodsCount() throws {
        let policy = try GatewayPolicy(yaml: Self.example)
        #expect(policy.rule(for: "/static/app.css", method: "GET")?.requirement == .public)
        #expect(policy.rule(for: "/reports/2024/pdf", method: "GET")?.requirement == .superuser, "the glob has more literal characters")
        #expect(policy.rule(for: "/reports/2024/pdf/x", method: "GET")?.requirement == .anyPermissions(["reports.view", "reports.admin"]))
        #expect(policy.rule(for: "/reports/", method: "POST") == nil, "methods limit the rule; the default applies")
        #expect(policy.rule(for: "/reports/", method: "head") != nil)
        #expect(policy.rule(for: "/elsewhere", method: "GET") == nil)
        let tie = try GatewayPolicy(yaml: """
            rules:
              - path: /api/
                require: authenticated
              - path: /api/
                methods: [DELETE]
                require: superuser
            """)
        #expect(tie.rule(for: "/api/x", method: "DELETE")?.requirement == .superuser)
        #expect(tie.rule(for: "/api/x", method: "GET")?.requirement == .authenticated)
    }

    @Test func globs() {
        #expect(PathPattern("/reports/*/pdf").matches("/reports/2024/pdf"))
        #expect(!PathPattern("/reports/*/pdf").matches("/reports/2024/q1/pdf"), "* stays within a segment")
        #expect(PathPattern("/reports/**/pdf").matches("/reports/2024/q1/pdf"))
        #expect(PathPattern("/files/?.txt").matches("/files/a.txt"))
        #expect(!PathPattern("/files/?.txt").matches("/files/ab.txt"))
        #expect(!PathPattern("/reports/*/pdf").matches("/reports/2024/pdfx"), "a glob matches the whole path")
    }

    @Test func decisionsForEveryRequirementKind() async throws {
        let world = World()
        let store = world.store
        let app = try await store.insertContentType(appLabel: "reports", model: "report")
        let view = try await store.insertPermission(name: "Can view", codename: "view", contentTypeID: app.id)
        let secretType = try await store.insertContentType(appLabel: "refapp", model: "secret")
        _ = try await store.insertPermission(name: "Can view secret", codename: "view_secret", contentTypeID: secretType.id)
        let reader = try await store.insertUser(NewUser(username: "reader", password: "!", dateJoined: Date()))
        try await store.grant(view.id, toUser: reader.id)
        let policy = try GatewayPolicy(yaml: Self.example)
        let checker = world.checker
        func decide(_ path: String, _ account: any UserAccount, method: String = "GET", groups: Set<String> = []) async throws
            -> GatewayDecision.Outcome
        {
            try await policy.decide(path: path, method: method, account: account, checker: checker) { groups }.outcome
        }
        let anonymous = AnonymousUser()
        let plain = Self.user("plain", id: 999)
        #expect(try await decide("/static/x.css", anonymous) == .allow)
        #expect(try await decide("/home", anonymous) == .loginRequired)
        #expect(try await decide("/home", plain) == .allow)
        // One answer for inactive users everywhere (Django's): the default backend never restores them
        // (so they arrive anonymous); one that does (AllowAllUsersModelBackend) makes them logged in.
        #expect(try await decide("/home", Self.user("gone", active: false)) == .allow, "restored by a backend: logged in")
        #expect(try await decide("/staff/", Self.user("gone", staff: true, active: false)) == .forbidden, "staff needs an active user")
        #expect(try await decide("/secret/", plain) == .forbidden)
        #expect(try await decide("/secret/", Self.user("root", superuser: true)) == .allow)
        #expect(try await decide("/reports/1", reader, method: "GET") == .allow)
        #expect(try await decide("/reports/1", plain, method: "GET") == .forbidden)
        #expect(try await decide("/reports/1", reader, method: "POST") == .allow, "POST falls to the default: authenticated")
        #expect(try await decide("/staff/", plain) == .forbidden)
        #expect(try await decide("/staff/", Self.user("s", staff: true)) == .allow)
        #expect(try await decide("/staff/", anonymous) == .loginRequired)
        #expect(try await decide("/team/", plain, groups: ["readers"]) == .forbidden)
        #expect(try await decide("/team/", plain, groups: ["readers", "admins"]) == .allow)
        #expect(try await decide("/closed/", Self.user("root", superuser: true)) == .forbidden)
        #expect(try await decide("/closed/", anonymous) == .forbidden)
        let open = try GatewayPolicy(yaml: "default: public\nrules: []")
        #expect(try await open.decide(path: "/x", method: "GET", account: anonymous, checker: checker) { [] }.outcome == .allow)
        let explained = try await policy.decide(path: "/reports/1", method: "GET", account: plain, checker: checker) { [] }
        #expect(explained.explanation == "forbidden: rule at line 8 (/reports/ GET,HEAD) requires any_permissions: [reports.view, reports.admin]")
    }

    @Test(arguments: [
        ("rules:\n  - path: /a/\n    require: publik\n", "line 3: unknown requirement `publik`"),
        ("default: staff\n", "line 1: `default` is one of"),
        ("rules:\n  - path: a/\n    require: public\n", "line 2: `path` is a path starting with /"),
        ("rules:\n  - path: /a/\n", "line 2: the rule for /a/ needs `require`"),
        ("rules:\n  - path: /a/\n    require: public\n    requires: x\n", "line 4: unknown key `requires`"),
        ("rules:\n  - path: /a/\n    require:\n      permissions: [nodot]\n", "line 4: permission `nodot` is not app_label.codename"),
        ("rules:\n  - path: /a/\n    methods: []\n    require: public\n", "line 3: `methods` is a non-empty list"),
        ("rules:\n  - path: /a/\n    require: [public\n", "line 4: not valid YAML"),
        ("colour: blue\n", "line 1: unknown key `colour`"),
        ("", "the file is empty"),
    ])
    func brokenFilesNameTheLine(_ text: String, _ expected: String) {
        #expect {
            _ = try GatewayPolicy(yaml: text)
        } throws: { error in
            String(describing: error).contains(expected)
        }
    }

    @Test func pathsAreNormalizedAndAmbiguousOnesRefused() {
        #expect(PathPattern.normalize("/static//a//b") == "/static/a/b")
        #expect(PathPattern.normalize("/%73ecret/") == "/secret/")
        for bad in ["/static/../secret/", "/static/./a", "/a/..", "/a%2Fb", "/a%5Cb", "/a\\b", "/..", "/a/../../b", "/a%00", "/%zz", "/a%2", "relative", "/a%252F"] {
            #expect(PathPattern.normalize(bad) == nil, "\(bad)")
        }
    }
}
