import Foundation
import Testing

@Suite("gatehouse policy")
struct CLIPolicyTests {
    static let policy = """
        default: authenticated
        rules:
          - path: /static/
            require: public
          - path: /reports/
            methods: [GET, HEAD]
            require:
              any_permissions: [blog.view_post]
          - path: /team/
            require:
              groups: [editors]
        """

    @Test func checkAndExplain() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let file = cli.workingDirectory.appendingPathComponent("policy.yaml")
        try Self.policy.write(to: file, atomically: true, encoding: .utf8)
        let checked = try await cli.run(["policy", "check", file.path], withDatabase: false)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout == "\(file.path): valid, 3 rules, default authenticated\n")

        let broken = cli.workingDirectory.appendingPathComponent("broken.yaml")
        try "rules:\n  - path: /a/\n    require: everyone\n".write(to: broken, atomically: true, encoding: .utf8)
        let refused = try await cli.run(["policy", "check", broken.path], withDatabase: false)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("broken.yaml: line 3: unknown requirement `everyone`"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)

        #expect(try await cli.run(["migrate"]).status == 0)
        #expect(try await cli.run(["permissions", "register", "blog.post"]).status == 0)
        #expect(try await cli.run(["users", "create", "alice", "--no-password"]).status == 0)
        #expect(try await cli.run(["users", "create", "bob", "--no-password"]).status == 0)
        #expect(try await cli.run(["permissions", "grant", "alice", "blog.view_post"]).status == 0)
        #expect(try await cli.run(["groups", "create", "editors"]).status == 0)
        #expect(try await cli.run(["groups", "add-member", "editors", "bob"]).status == 0)

        func explain(_ arguments: [String]) async throws -> String {
            let result = try await cli.run(["policy", "explain", file.path] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        #expect(try await explain(["--user", "alice", "--path", "/reports/2024"])
            == "GET /reports/2024 by 'alice': allow: rule at line 5 (/reports/ GET,HEAD) requires any_permissions: [blog.view_post]\n")
        #expect(try await explain(["--user", "bob", "--path", "/reports/2024"]).hasPrefix("GET /reports/2024 by 'bob': forbidden: rule at line 5"))
        #expect(try await explain(["--user", "alice", "--path", "/reports/x", "--method", "post"])
            == "POST /reports/x by 'alice': allow: the default requires authenticated\n")
        #expect(try await explain(["--path", "/reports/x"]).contains("by an anonymous request: login required: rule at line 5"))
        #expect(try await explain(["--user", "bob", "--path", "/team/"]).contains("allow: rule at line 9"))
        #expect(try await explain(["--user", "alice", "--path", "/team/"]).contains("forbidden: rule at line 9"))
        #expect(try await explain(["--path", "/static//team/"]).contains("GET /static/team/ by an anonymous request: allow"))
        #expect(try await explain(["--path", "/static/../team/"]) == "bad request (400): /static/../team/ is refused before any rule: a . or .. segment (clients resolve them before sending)\n")
        #expect(try await explain(["--path", "/static/%2e%2e/team/"]).hasPrefix("bad request (400)"), "escaped dots are refused too, not a bypass")
        #expect(try await explain(["--path", "/static%2F..%2Fteam/"]).hasPrefix("bad request (400)"))
        let ghost = try await cli.run(["policy", "explain", file.path, "--user", "ghost", "--path", "/"])
        #expect(ghost.status != 0 && ghost.stderr.contains("no user named 'ghost'"))
    }
}
