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
            print("\(file): valid, \(policy.rules.count) rule\(policy.rules.count == 1 ? "" : "s"), default \(policy.defaultRequirement)")
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the decision for a user, path and method, and the rule that made it.",
            discussion: """
                Without --user the request is anonymous. Permissions and groups come from the database.

                Example:
                  gatehouse policy explain policy.yaml --user alice --path /secret/
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The policy file (YAML).") var file: String
        @Option(help: "The username (omit for an anonymous request).") var user: String?
        @Option(help: "The request path, as the client sends it.") var path: String
        @Option(help: "The HTTP method.") var method: String = "GET"

        func run() async throws {
            let policy = try PolicyCommand.load(file)
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
                let decision = try await policy.decide(path: normalized, method: method.uppercased(), account: account, checker: checker) {
                    guard let id = account.userID else { return [] }
                    return Set(try await db.store.groups(ofUser: id).map(\.name))
                }
                let who = account.isAuthenticated ? "'\(account.username)'" : "an anonymous request"
                print("\(method.uppercased()) \(normalized) by \(who): \(decision.explanation)")
            }
        }
    }
}
