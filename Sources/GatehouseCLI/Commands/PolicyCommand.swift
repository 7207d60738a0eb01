import ArgumentParser
import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseSQL

/// `gatehouse policy ...`: check a gateway policy file, and explain its decisions.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check a gateway policy file and explain its decisions.",
        discussion: """
            Example:
              gatehouse policy check policy.yaml
              gatehouse policy explain policy.yaml --user alice --path /reports/2024/pdf --method GET
              gatehouse policy explain policy.yaml --host wiki.example.com --client 10.0.0.7 --path /admin/
            """,
        subcommands: [Check.self, Explain.self]
    )

    static func load(_ file: String) throws -> GatewayPolicy {
        do {
            return try GatewayPolicy(contentsOfFile: file)
        } catch let error as GatewayPolicyError {
            throw CommandFailure("\(file): \(error)")
        } catch {
            throw CommandFailure("\(file): cannot be read")
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file; errors name the line.",
            discussion: "Example:\n  gatehouse policy check policy.yaml"
        )
        @Argument(help: "The policy file (YAML).") var file: String

        func run() async throws {
            let policy = try PolicyCommand.load(file)
            let sites = policy.sites.isEmpty ? "" : ", \(policy.sites.count) host section\(policy.sites.count == 1 ? "" : "s")"
            print("\(file): valid, \(policy.rules.count) rule\(policy.rules.count == 1 ? "" : "s")\(sites), default \(policy.defaultRequirement)")
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the decision for a user, path and method, and the rule that made it.",
            discussion: """
                Without --user the request is anonymous. Permissions and groups come from the database.
                Without --host, rules limited to hosts do not match; without --client, rules limited to
                networks do not (the client is the address after --trusted-proxy resolution).

                Example:
                  gatehouse policy explain policy.yaml --user alice --path /secret/
                  gatehouse policy explain policy.yaml --host wiki.example.com --client 10.0.0.7 --path /admin/
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The policy file (YAML).") var file: String
        @Option(help: "The username (omit for an anonymous request).") var user: String?
        @Option(help: "The request path, as the client sends it.") var path: String
        @Option(help: "The HTTP method.") var method: String = "GET"
        @Option(help: "The Host the request names (e.g. wiki.example.com).") var host: String?
        @Option(help: "The client's address (e.g. 10.0.0.7), as the gateway resolves it behind trusted proxies.") var client: String?

        func run() async throws {
            let policy = try PolicyCommand.load(file)
            let address: IPAddress?
            if let client {
                guard let parsed = IPAddress(client) else { throw CommandFailure("--client \(client) is not an IP address") }
                address = parsed
            } else {
                address = nil
            }
            let normalized: String
            switch PathPattern.decoded(path) {
            case .success(let decoded): normalized = decoded
            case .failure(let refusal):
                print("bad request (400): \(path) is refused before any rule: \(refusal)")
                return
            }
            try await database.run { db in
                var account: any UserAccount = AnonymousUser()
                if let user { account = try await db.user(named: user) }
                let checker = PermissionChecker(backends: [ModelPermissionBackend(store: db.store)])
                let decision = try await policy.decide(
                    path: normalized, method: method.uppercased(), host: host, client: address, account: account, checker: checker
                ) {
                    guard let id = account.userID else { return [] }
                    return Set(try await db.store.groups(ofUser: id).map(\.name))
                }
                let who = account.isAuthenticated ? "'\(account.username)'" : "an anonymous request"
                let from = address.map { " from \($0)" } ?? ""
                print("\(method.uppercased()) \(host ?? "")\(normalized)\(from) by \(who): \(decision.explanation)")
                if let site = decision.site {
                    let line = site.line > 0 ? " at line \(site.line)" : ""
                    print("host section\(line) (\(site.hosts.patterns.joined(separator: ","))): upstream \(site.upstream ?? "--upstream")")
                }
            }
        }
    }
}
