import ArgumentParser
import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseSMTP
import GatehouseSQL

/// `gatehouse check [--deploy]`: checks the settings `gatehouse serve` would run with, given the same
/// flags and environment, without opening the database or writing anything.
struct CheckCommand: AsyncParsableCommand, ConfigurableCommand {
    static let commandLineOnlyOptions: Set<String> = ["deploy", "fail-level", "silence"]

    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the settings 'gatehouse serve' would run with; --deploy adds production warnings.",
        discussion: """
            Takes every flag of 'gatehouse serve' and reads the same environment and --config file, reports what serve
            would refuse as ERROR and, with --deploy, what is unsafe in production as WARNING, each with an
            id (gatehouse.W004) and a hint. The exit status is 1 when a finding is at --fail-level or above
            (WARNING by default: stricter than Django's ERROR, so a deploy script stops on a warning).
            docs/deploy.md lists every check.

            Examples:
              gatehouse check --deploy --host 0.0.0.0 --https --allowed-host example.com
              gatehouse check --deploy --silence gatehouse.W013 --policy policy.yaml --upstream http://127.0.0.1:3000
            """
    )

    @Flag(help: "Also check what is unsafe in production (docs/deploy.md).") var deploy = false
    @Option(name: .customLong("fail-level"), help: "The least serious level that makes the exit status 1: ERROR, WARNING or INFO.")
    var failLevel: CheckLevel = .warning
    @Option(name: .customLong("silence"), help: "A check id not to report, e.g. gatehouse.W013. Repeatable.")
    var silenced: [String] = []
    @OptionGroup(title: "The settings of 'gatehouse serve'") var serve: ServeCommand

    func run() async throws {
        var findings: [CheckMessage] = []
        func error(_ number: Int, _ message: String, hint: String) {
            findings.append(CheckMessage(id: String(format: "gatehouse.E%03d", number), level: .error, message: message, hint: hint))
        }
        func attempt<T>(_ number: Int, hint: String, _ body: () throws -> T) -> T? {
            do {
                return try body()
            } catch {
                let text = (CommandFailure.wrap(error) as? CommandFailure)?.message ?? "\(error)"
                findings.append(CheckMessage(id: String(format: "gatehouse.E%03d", number), level: .error, message: text, hint: hint))
                return nil
            }
        }
        let url = attempt(1, hint: "Fix --database or GATEHOUSE_DATABASE_URL.") { try serve.database.resolvedURL() }
        let throttle = attempt(2, hint: "Fix the login throttling options.") { try serve.throttle.resolved() }
        let hashers = attempt(3, hint: "Fix --preferred-hasher.") { try serve.passwords.resolved() }
        let hosts = attempt(4, hint: "Fix --allowed-host or --public-url.") { try serve.hosts.resolved() }
        let proxies = attempt(5, hint: "Name addresses or CIDR ranges.") { try TrustedProxyConfiguration(addresses: serve.trustedProxies) }
        let email = attempt(6, hint: "Fix --email-url or GATEHOUSE_EMAIL_URL.") { try serve.email.resolvedURL() }
        _ = attempt(7, hint: "Fix --from-email.") { try serve.email.resolvedFrom() }
        let metrics = attempt(10, hint: "Fix --metrics-address (host:port).") { try serve.operations.resolvedMetricsAddress() }
        let tls = attempt(11, hint: "Fix --tls-cert and --tls-key (PEM files; the key must match the certificate).") { try serve.tls.resolved() }
        var policy: GatewayPolicy?
        if let file = serve.policy {
            policy = attempt(8, hint: "'gatehouse policy check \(file)' explains the policy file's errors.") { try PolicyCommand.load(file) }
        } else if serve.upstream != nil {
            policy = GatewayPolicy()
        }
        if !(0...65_535).contains(serve.port) { error(9, "--port \(serve.port) is not between 0 and 65535.", hint: "Choose a port in range.") }

        if deploy, let url, let throttle, let hashers, let hosts, let proxies, let email {
            let environmentKey = ProcessInfo.processInfo.environment["GATEHOUSE_SECRET_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            let secretKey: DeploySettings.SecretKeySource
            if let environmentKey {
                secretKey = .environment(environmentKey)
            } else {
                let file = SecretKeyResolver.directory(for: url).appendingPathComponent(SecretKeyResolver.fileName).path
                let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int
                secretKey = .file(path: file, mode: mode)
            }
            var sqliteFile: String?
            if case .sqlite(.file(let path)) = url.kind { sqliteFile = path }
            var settings = DeploySettings(
                    host: serve.host, https: serve.httpsOnly || (tls ?? nil) != nil, hstsSeconds: serve.hstsSeconds, secretKey: secretKey,
                    policyDefault: policy?.defaultRequirement, policyFile: serve.policy, sqliteFile: sqliteFile,
                    preferredHasher: hashers.preferred, throttle: throttle,
                    onlyLocalHostsAllowed: hosts.allowedHosts == .local && hosts.publicOrigin == nil,
                    trustedProxies: proxies.networks, emailIsConsole: email.smtp == nil
                )
            settings.metricsHost = metrics??.host
            findings += DeployChecks.run(settings)
        }

        let shown = findings.filter { !silenced.contains($0.id) }
        for finding in shown.sorted(by: { $0.level != $1.level ? $0.level > $1.level : $0.id < $1.id }) { print(finding.text) }
        let silencedCount = findings.count - shown.count
        let summary = shown.isEmpty ? "no issues" : "\(shown.count) issue\(shown.count == 1 ? "" : "s")"
        print("gatehouse check\(deploy ? " --deploy" : ""): \(summary)\(silencedCount > 0 ? " (\(silencedCount) silenced)" : "")")
        if shown.contains(where: { $0.level >= failLevel }) { throw ExitCode(1) }
    }
}
