import ArgumentParser
import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseSQL
import Hummingbird
import Logging

/// `gatehouse serve`: the account pages on the configured database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the login, logout and profile pages.",
        discussion: """
            Creates and migrates the database on first start. SECRET_KEY comes from GATEHOUSE_SECRET_KEY
            (old keys in GATEHOUSE_SECRET_KEY_FALLBACKS, comma-separated); without it a key is generated
            once and saved beside the database in gatehouse-secret-key (mode 0600).
            Stops cleanly on SIGINT and SIGTERM. Logs one line per request, without secrets.
            Failed logins are counted in the database: past the limits below the login page answers
            429 with Retry-After ('gatehouse throttle list' shows locks, 'gatehouse throttle reset' lifts them).

            Example:
              gatehouse serve --port 8000
              gatehouse createsuperuser        # then log in at http://127.0.0.1:8000/accounts/login/
              gatehouse serve --trusted-proxy 127.0.0.1 --login-failure-limit 10 --login-cooloff 1800
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "The port to listen on.") var port: Int = 8000
    @Flag(name: .customLong("https"), help: "The site is served over HTTPS (behind a TLS proxy): cookies get Secure.")
    var httpsOnly = false
    @Option(name: .customLong("trusted-origin"), help: "An origin allowed to POST forms here (CSRF), e.g. https://*.example.com. Repeatable.")
    var trustedOrigins: [String] = []
    @Option(name: .customLong("trusted-proxy"), help: "The address of a proxy whose X-Forwarded-For/-Proto headers are believed. Repeatable.")
    var trustedProxies: [String] = []
    @Option(help: "A gateway policy file (YAML, see docs/gateway.md): every other path is checked against it. SIGHUP reloads it.")
    var policy: String?
    @Option(help: "The application to protect, as http://host:port: allowed requests are proxied there (policy: --policy, or login required).")
    var upstream: String?
    @Option(name: .customLong("upstream-timeout"), help: "Seconds to wait for the application's response before answering 504.")
    var upstreamTimeout: Int = 30
    @Option(name: .customLong("max-body-size"), help: "The largest request body passed to the application, in bytes (then 413).")
    var maxBodySize: Int = 100 * 1024 * 1024
    @Option(name: .customLong("upstream-connections"), help: "The most connections kept open to the application; more requests wait for one.")
    var upstreamConnections: Int = 64
    @OptionGroup(title: "Login throttling") var throttle: ThrottleOptions

    func run() async throws {
        guard (0...65_535).contains(port) else { throw CommandFailure("--port must be between 0 and 65535") }
        let loginThrottle = try throttle.resolved()
        let logger = Logger(label: "gatehouse.serve")
        // A broken policy stops the start, with the line that is wrong.
        var holder = try policy.map { PolicyHolder(try PolicyCommand.load($0), file: $0) }
        if upstream != nil, holder == nil { holder = PolicyHolder(GatewayPolicy()) }
        let proxyConfiguration: GatewayProxyConfiguration?
        do {
            proxyConfiguration = try upstream.map {
                try GatewayProxyConfiguration(
                    upstream: $0, responseTimeout: .seconds(Int64(max(1, upstreamTimeout))), maximumRequestBodySize: maxBodySize,
                    maximumConnections: upstreamConnections
                )
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        let url = try database.resolvedURL()
        let keys = try SecretKeyResolver.resolve(for: url, logger: logger)
        let db = try await database.open(creating: true)
        do {
            let applied = try await MigrationRunner(provider: db.provider).migrate()
            for name in applied { logger.info("applied migration \(name)") }
            var csrf = CSRFConfiguration.default
            csrf.isHTTPS = httpsOnly
            csrf.cookieSecure = httpsOnly
            csrf.trustedOrigins = trustedOrigins
            var builder = GatehouseRouterBuilder(
                users: db.store,
                sessions: SQLSessionStore(provider: db.provider, keys: keys),
                keys: keys,
                sessionCookie: SessionCookieConfiguration(secure: httpsOnly ? .always : .automatic),
                csrf: csrf,
                proxies: TrustedProxyConfiguration(addresses: Set(trustedProxies))
            )
            builder.throttling = loginThrottle
            builder.loginFailures = SQLLoginFailureStore(provider: db.provider)
            if loginThrottle.isCounting {
                logger.info(
                    "login throttling: \(loginThrottle.usernameAndAddressLimit) failures per username and address, \(loginThrottle.addressLimit) per address, \(loginThrottle.usernameLimit) per username, in \(Int(loginThrottle.window)) s"
                )
            } else {
                logger.warning("login throttling is off")
            }
            let redactedURL = db.url.redacted
            let router: Router<GatehouseRequestContext>
            var reloader: (any DispatchSourceSignal)?
            let proxy = proxyConfiguration.map { GatewayProxy<GatehouseRequestContext>(configuration: $0, groups: db.store) }
            if let holder {
                router = GatewayRoutes.makeRouter(builder: builder, policy: holder, groups: db.store, proxy: proxy)
                reloader = GatewayRoutes.reloadOnHangUp(holder, logger: logger)
                logger.info("gateway policy \(holder.file ?? "") in force: \(holder.policy.rules.count) rules")
            } else {
                router = builder.makeRouter()
            }
            defer { reloader?.cancel() }
            let app = Application(
                router: router,
                // A gateway meets bursts of new connections: a longer accept queue than Hummingbird's 256.
                configuration: .init(address: .hostname(host, port: port), serverName: "Gatehouse", backlog: 1024),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? port
                    logger.info("serving \(redactedURL) at http://\(host):\(bound)/accounts/login/")
                },
                logger: logger
            )
            do {
                try await app.runService()
            } catch {
                try? await proxy?.shutdown()
                throw error
            }
            try? await proxy?.shutdown()
            await db.close()
        } catch {
            await db.close()
            throw error
        }
    }
}
