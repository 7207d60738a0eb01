import Foundation
import Gatehouse
import GatehouseGateway
import Testing

@Suite("Gateway policy: hosts and networks")
struct GatewayPolicyHostsTests {
    /// docs/gateway.md's example of `hosts:` and `networks` (the test below checks the docs hold it).
    static let example = """
        default: authenticated
        rules:
          - path: /static/
            require: public
          - path: /metrics/
            networks: [10.0.0.0/8, 192.168.1.7, fd00::/8]
            require: public
          - path: /admin/
            host: [admin.example.com, .internal.example.com]
            require: staff
        hosts:
          - host: wiki.example.com
            upstream: http://127.0.0.1:3001
            default: public
            rules:
              - path: /edit/
                require:
                  groups: [editors]
          - host: [.api.example.com, api.example.org]
            upstream: http://127.0.0.1:3002
            rules:
              - path: /internal/
                networks: [10.0.0.0/8]
                require: authenticated
              - path: /internal/
                require: deny
        """

    static let checker = PermissionChecker(backends: [])
    static func user(_ name: String, staff: Bool = false) -> User {
        User(
            id: 7, password: "!", lastLogin: nil, isSuperuser: false, username: name, firstName: "", lastName: "", email: "",
            isStaff: staff, isActive: true, dateJoined: Date(timeIntervalSince1970: 0)
        )
    }

    static func decide(
        _ policy: GatewayPolicy, _ path: String, host: String?, client: String? = nil, account: any UserAccount = AnonymousUser(),
        groups: Set<String> = []
    ) async throws -> GatewayDecision {
        try await policy.decide(
            path: path, method: "GET", host: host, client: client.flatMap { IPAddress($0) }, account: account, checker: checker
        ) { groups }
    }

    @Test func parsesSectionsAndConditions() throws {
        let policy = try GatewayPolicy(yaml: Self.example)
        #expect(policy.rules.count == 6)
        #expect(policy.sites.count == 2)
        #expect(policy.sites[0].upstream == "http://127.0.0.1:3001" && policy.sites[0].defaultRequirement == .public)
        #expect(policy.sites[1].hosts.patterns == [".api.example.com", "api.example.org"] && policy.sites[1].defaultRequirement == nil)
        #expect(policy.sites[0].line == 12)
        #expect(policy.rules[3].hosts == AllowedHosts(["wiki.example.com"]), "a section's rules have its hosts")
        #expect(policy.rules[1].networks?.map(\.description) == ["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"].map { try! IPNetwork($0).description })
        #expect(policy.site(forHost: "WIKI.example.com.:8443")?.upstream == "http://127.0.0.1:3001", "case, trailing dot and port ignored")
        #expect(policy.site(forHost: "v2.api.example.com")?.upstream == "http://127.0.0.1:3002", ".api.example.com covers subdomains")
        #expect(policy.site(forHost: "api.example.com")?.upstream == "http://127.0.0.1:3002", "and the domain itself")
        #expect(policy.site(forHost: "evilapi.example.com") == nil)
        #expect(policy.site(forHost: "example.com") == nil)
        #expect(policy.site(forHost: nil) == nil)

        // A file without hosts or networks means what it meant before.
        let plain = try GatewayPolicy(yaml: "rules:\n  - path: /a/\n    methods: [GET]\n    require: public\n  - path: /a/\n    require: deny\n")
        #expect(plain.sites.isEmpty)
        #expect(plain.rule(for: "/a/x", method: "GET")?.line == 2)
        #expect(plain.rule(for: "/a/x", method: "GET", host: "anything", client: IPAddress("1.2.3.4"))?.line == 2)
    }

    @Test func decidesOnHostsAndNetworks() async throws {
        let policy = try GatewayPolicy(yaml: Self.example)
        // The wiki's own default is public; its rule needs the group.
        #expect(try await Self.decide(policy, "/page", host: "wiki.example.com").outcome == .allow)
        #expect(try await Self.decide(policy, "/page", host: "blog.example.com").outcome == .loginRequired, "the file's default elsewhere")
        #expect(try await Self.decide(policy, "/edit/x", host: "wiki.example.com", account: Self.user("a")).outcome == .forbidden)
        #expect(try await Self.decide(policy, "/edit/x", host: "wiki.example.com", account: Self.user("a"), groups: ["editors"]).outcome == .allow)
        #expect(try await Self.decide(policy, "/edit/x", host: "blog.example.com", account: Self.user("a")).outcome == .allow, "not the wiki: the default")
        // A rule limited to hosts.
        #expect(try await Self.decide(policy, "/admin/", host: "ADMIN.example.com:443", account: Self.user("a")).outcome == .forbidden)
        #expect(try await Self.decide(policy, "/admin/", host: "db.internal.example.com", account: Self.user("s", staff: true)).outcome == .allow)
        #expect(try await Self.decide(policy, "/admin/", host: "www.example.com", account: Self.user("a")).outcome == .allow, "other hosts: the default")
        #expect(try await Self.decide(policy, "/admin/", host: nil, account: Self.user("a")).outcome == .allow, "no host: no host rule")
        // Networks: the client's address.
        #expect(try await Self.decide(policy, "/metrics/", host: "x", client: "10.200.0.1").outcome == .allow)
        #expect(try await Self.decide(policy, "/metrics/", host: "x", client: "::ffff:192.168.1.7").outcome == .allow, "IPv4-mapped")
        #expect(try await Self.decide(policy, "/metrics/", host: "x", client: "fd00::5").outcome == .allow)
        #expect(try await Self.decide(policy, "/metrics/", host: "x", client: "192.168.1.8").outcome == .loginRequired)
        #expect(try await Self.decide(policy, "/metrics/", host: "x", client: nil).outcome == .loginRequired, "no address: no network rule")
        // Within a section: the rule with a network condition beats the same path without one.
        let inside = try await Self.decide(policy, "/internal/x", host: "api.example.org", client: "10.0.0.1", account: Self.user("a"))
        #expect(inside.outcome == .allow && inside.rule?.line == 22)
        #expect(try await Self.decide(policy, "/internal/x", host: "api.example.org", client: "8.8.8.8", account: Self.user("a")).outcome == .forbidden)
        #expect(inside.explanation == "allow: rule at line 22 (/internal/ host .api.example.com,api.example.org networks 10.0.0.0/8) requires authenticated")
        let wikiDefault = try await Self.decide(policy, "/page", host: "wiki.example.com")
        #expect(wikiDefault.explanation == "allow: the default of the hosts at line 12 requires public")
        #expect(wikiDefault.site?.upstream == "http://127.0.0.1:3001")
    }

    @Test(arguments: [
        ("rules:\n  - path: /a/\n    networks: [10.0.0.1/8]\n    require: public\n", "line 3: `networks`: "),
        ("rules:\n  - path: /a/\n    networks:\n      - 10.0.0.0/8\n      - 300.1.1.1\n    require: public\n", "line 5: `networks`: "),
        ("rules:\n  - path: /a/\n    networks: []\n    require: public\n", "line 3: `networks` is a non-empty list"),
        ("rules:\n  - path: /a/\n    host: example.com:8080\n    require: public\n", "line 3: `host` example.com:8080 is not a host name"),
        ("rules:\n  - path: /a/\n    host: [ok.example, 'bad host']\n    require: public\n", "line 3: `host` bad host is not a host name"),
        ("rules:\n  - path: /a/\n    host: '*'\n    require: public\n", "line 3: `host` * is not a host name"),
        ("hosts:\n  - upstream: http://127.0.0.1:1\n", "line 2: a `hosts` section needs `host`"),
        ("hosts:\n  - host: a.example\n    upstream: http://127.0.0.1:1/app\n", "line 3: `upstream` is http://host:port (no path)"),
        ("hosts:\n  - host: a.example\n    upstream: ftp://x\n", "line 3: `upstream` is http://host:port"),
        ("hosts:\n  - host: a.example\n    default: staff\n", "line 3: `default` is one of"),
        ("hosts:\n  - host: a.example\n    colour: blue\n", "line 3: unknown key `colour` in a hosts section"),
        ("hosts:\n  - host: a.example\n    rules:\n      - path: /x/\n        host: b.example\n        require: public\n", "line 4: a rule in a `hosts` section"),
        ("hosts: a.example\n", "line 1: `hosts` is a list of sections"),
    ])
    func brokenFilesNameTheLine(_ text: String, _ expected: String) {
        #expect {
            _ = try GatewayPolicy(yaml: text)
        } throws: { error in
            String(describing: error).contains(expected)
        }
    }

    /// Every policy example in docs/gateway.md parses (Traefik's configuration aside).
    @Test func docsExamplesParse() throws {
        let docs = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "docs/gateway.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let policies = blocks.filter { !$0.hasPrefix("http:") }
        #expect(policies.count >= 2, "\(policies.count)")
        for block in policies {
            #expect(throws: Never.self, "\(block)") { _ = try GatewayPolicy(yaml: block) }
        }
        #expect(policies.contains { $0.trimmingCharacters(in: .whitespacesAndNewlines) == Self.example.trimmingCharacters(in: .whitespacesAndNewlines) })
    }
}
