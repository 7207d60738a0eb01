import ArgumentParser
import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseSMTP
import GatehouseSQL
import Hummingbird
import HummingbirdCore
import Logging

/// `gatehouse serve`: the account pages on the configured database.
struct ServeCommand: AsyncParsableCommand, ConfigurableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the login pages, and with --policy and --upstream the gateway in front of an application.",
        discussion: """
            Creates and migrates the database on first start. SECRET_KEY comes from GATEHOUSE_SECRET_KEY
            (old keys in GATEHOUSE_SECRET_KEY_FALLBACKS, comma-separated); without it a key is generated
            once and saved beside the database in gatehouse-secret-key (mode 0600).
            Stops cleanly on SIGINT and SIGTERM. Logs one line per request, without secrets.
            Failed logins are counted in the database: past the limits below the login page answers
            429 with Retry-After ('gatehouse throttle list' shows locks, 'gatehouse throttle reset' lifts them).

            As a gateway (docs/gateway.md): --policy applies a YAML policy to every other path (and
            answers forward auth for nginx, Traefik and Caddy at /_gatehouse/auth); --upstream proxies
            allowed requests to your application. docs/security.md lists the limits and timeouts.

            Examples:
              gatehouse serve --port 8000
              gatehouse createsuperuser        # then log in at http://127.0.0.1:8000/accounts/login/
              gatehouse serve --upstream http://127.0.0.1:3000 --policy policy.yaml
              gatehouse serve --trusted-proxy 127.0.0.1 --login-failure-limit 10 --login-cooloff 1800
              gatehouse serve --preferred-hasher argon2   # new hashes (and upgrades at login) in argon2
              gatehouse serve --email-url smtp+starttls://user:password@smtp.example.com --from-email site@example.com
              GATEHOUSE_PORT=8001 gatehouse serve --config gatehouse.yaml --print-config

            Every option also comes from GATEHOUSE_ and its name in capitals (GATEHOUSE_UPSTREAM_TIMEOUT, lists
            comma-separated) and from the --config file (upstream-timeout: 45): flag > environment > file > default.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "The port to listen on.") var port: Int = 8000
    @Flag(name: .customLong("https"), help: "The site is served over HTTPS (behind a TLS proxy): cookies get Secure.")
    var httpsOnly = false
    @Option(name: .customLong("trusted-origin"), help: "An origin allowed to POST forms here (CSRF), e.g. https://*.example.com. Repeatable.")
    var trustedOrigins: [String] = []
    @Option(name: .customLong("trusted-proxy"), help: "The address (10.0.0.2) or CIDR range (10.0.0.0/8, fd00::/8) of proxies whose X-Forwarded-For/-Proto headers are believed. Repeatable.")
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
    @Option(name: .customLong("websocket-max-message"), help: "The largest WebSocket message relayed either way, in bytes (then the socket closes with 1009).")
    var webSocketMaxMessage: Int = 1024 * 1024
    @Option(name: .customLong("websocket-idle-timeout"), help: "Seconds a WebSocket may carry no frame either way before it is closed.")
    var webSocketIdleTimeout: Int = 300
    @Option(name: .customLong("session-cookie-name"), help: "The session cookie's name (another than an application behind the gateway uses).")
    var sessionCookieName: String = "sessionid"
    @Option(name: .customLong("csrf-cookie-name"), help: "The CSRF cookie's name.")
    var csrfCookieName: String = "csrftoken"
    @Option(name: .customLong("user-header"), help: "The header that names the user to the application.")
    var userHeader: String = "X-Gatehouse-User"
    @Option(name: .customLong("user-id-header"), help: "The header with the user's id.")
    var userIDHeader: String = "X-Gatehouse-User-Id"
    @Option(name: .customLong("groups-header"), help: "The header with the user's groups (comma-separated).")
    var groupsHeader: String = "X-Gatehouse-Groups"
    @Option(name: .customLong("hsts-seconds"), help: "With --https: Strict-Transport-Security max-age (0 for none).")
    var hstsSeconds: Int = 31_536_000
    @Option(name: .customLong("header-timeout"), help: "Seconds a new connection may take to send its first request head.")
    var headerTimeout: Int = 60
    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle keep-alive connection stays open.")
    var idleTimeout: Int = 75
    @Option(name: .customLong("body-timeout"), help: "Seconds allowed between two reads of a request body.")
    var bodyTimeout: Int = 60
    @Option(name: .customLong("send-timeout"), help: "Seconds a client may leave a response unread before the connection is closed.")
    var sendTimeout: Int = 60
    @Option(name: .customLong("max-connections"), help: "The most client connections at once (default: what the open-file limit allows, at most 10000).")
    var maxConnections: Int?

    @OptionGroup(title: "Login throttling") var throttle: ThrottleOptions
    @OptionGroup(title: "Passwords") var passwords: HasherOptions
    @OptionGroup(title: "Hosts") var hosts: HostOptions
    @OptionGroup(title: "Logging") var logging: LogOptions
    @OptionGroup(title: "Email") var email: EmailOptions
    @OptionGroup(title: "Password reset") var passwordReset: PasswordResetOptions
    @OptionGroup(title: "Metrics and audit") var operations: OperationsOptions
    @OptionGroup(title: "TLS") var tls: TLSOptions
    @OptionGroup(title: "Settings") var settings: ConfigFileOptions

    func run() async throws {
        guard (0...65_535).contains(port) else { throw CommandFailure("--port must be between 0 and 65535") }
        for (flag, seconds) in [("header", headerTimeout), ("idle", idleTimeout), ("body", bodyTimeout), ("send", sendTimeout)] where seconds < 1 {
            throw CommandFailure("--\(flag)-timeout is at least 1 second")
        }
        if let maxConnections, maxConnections < 1 { throw CommandFailure("--max-connections is at least 1") }
        if webSocketIdleTimeout < 1 { throw CommandFailure("--websocket-idle-timeout is at least 1 second") }
        if webSocketMaxMessage < 1 { throw CommandFailure("--websocket-max-message is at least 1 byte") }
        let webSockets = GatewayWebSocketConfiguration(
            maximumMessageSize: webSocketMaxMessage, idleTimeout: .seconds(Int64(webSocketIdleTimeout)), headerTimeout: .seconds(Int64(headerTimeout))
        )
        let loginThrottle = try throttle.resolved()
        let hashers = try passwords.resolved()
        let hostConfiguration = try hosts.resolved()
        let proxies: TrustedProxyConfiguration
        do {
            proxies = try TrustedProxyConfiguration(addresses: trustedProxies)
        } catch {
            throw CommandFailure("--trusted-proxy \(error)")
        }
        let tlsConfiguration = try tls.resolved()
        let httpsOnly = self.httpsOnly || tlsConfiguration != nil  // serving TLS itself: the site is HTTPS
        let emailURL = try email.resolvedURL()
        let fromEmail = try email.resolvedFrom()
        let logger = Logger(label: "gatehouse.serve")
        let metricsListener = try await operations.startMetrics(logger: logger)  // before any metric is made
        defer { metricsListener?.cancel() }
        // A broken policy stops the start, with the line that is wrong.
        var holder = try policy.map { PolicyHolder(try PolicyCommand.load($0), file: $0) }
        if upstream != nil, holder == nil { holder = PolicyHolder(GatewayPolicy()) }
        if upstream == nil, let holder, holder.policy.sites.contains(where: { $0.upstream != nil }) {
            throw CommandFailure("the policy names upstreams for its hosts: give --upstream too, the application for every other host")
        }
        let proxyConfiguration: GatewayProxyConfiguration?
        let identityHeaders: IdentityHeaderNames
        do {
            identityHeaders = try IdentityHeaderNames(user: userHeader, userID: userIDHeader, groups: groupsHeader)
            proxyConfiguration = try upstream.map {
                var configuration = try GatewayProxyConfiguration(
                    upstream: $0, responseTimeout: .seconds(Int64(max(1, upstreamTimeout))), maximumRequestBodySize: maxBodySize,
                    sessionCookieName: sessionCookieName, csrfCookieName: csrfCookieName,
                    identityHeaders: identityHeaders,
                    maximumConnections: upstreamConnections
                )
                configuration.webSockets = webSockets
                return configuration
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        let url = try database.resolvedURL()
        let keys = try SecretKeyResolver.resolve(for: url, logger: logger)
        let db = try await database.open(creating: true, servingRequests: true)
        do {
            _ = try await MigrationRunner(provider: db.provider).migrate()  // it logs each migration it applies
            var csrf = CSRFConfiguration.default
            csrf.isHTTPS = httpsOnly
            csrf.cookieSecure = httpsOnly
            csrf.trustedOrigins = trustedOrigins
            csrf.cookieName = csrfCookieName
            var builder = GatehouseRouterBuilder(
                users: db.store,
                sessions: SQLSessionStore(provider: db.provider, keys: keys),
                keys: keys,
                sessionConfiguration: SessionConfiguration(cookieName: sessionCookieName),
                sessionCookie: SessionCookieConfiguration(secure: httpsOnly ? .always : .automatic),
                csrf: csrf,
                hashers: hashers,
                proxies: proxies
            )
            if httpsOnly, hstsSeconds > 0 { builder.securityHeaders.strictTransportSecuritySeconds = hstsSeconds }
            builder.throttling = loginThrottle
            builder.hosts = hostConfiguration
            try hosts.applyCookiesAndRedirects(to: &builder)
            try passwordReset.apply(to: &builder)
            if hostConfiguration.allowedHosts == .local, hostConfiguration.publicOrigin == nil, !["127.0.0.1", "localhost", "::1"].contains(host) {
                logger.warning(
                    "listening on \(host), but only localhost, 127.0.0.1 and [::1] are allowed hosts: requests naming another Host get 400 (add this site's names with --allowed-host)"
                )
            }
            builder.loginFailures = SQLLoginFailureStore(provider: db.provider)
            builder.emailSender = emailURL.makeSender(logger: Logger(label: "gatehouse.email"))
            builder.fromEmail = fromEmail
            logger.info("email: \(emailURL) from \(fromEmail)\(emailURL.smtp == nil ? " (console: messages are logged, not sent)" : "")")
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
            // Sessions are in the database, so every request reads the permission version: a user's
            // groups (for the groups header and group rules) can come from memory at that version.
            let groups = GroupMembershipCache(db.store, versions: db.store.permissionVersion)
            let proxy = proxyConfiguration.map { GatewayProxy<GatehouseRequestContext>(configuration: $0, groups: groups) }
            if let holder {
                router = try GatewayRouterBuilder(
                    gatehouse: builder, policy: holder, groups: groups, proxy: proxy, identityHeaders: identityHeaders
                ).makeRouter()
                reloader = GatewayRoutes.reloadOnHangUp(holder, logger: logger)
                if let file = holder.file {
                    logger.info("gateway policy \(file) in force: \(holder.policy.rules.count) rules")
                } else {
                    logger.info("gateway without --policy: every path needs a login")
                }
            } else {
                router = builder.makeRouter()
                reloader = GatewayRoutes.ignoreHangUp(logger: logger)
            }
            defer { reloader?.cancel() }
            let readiness = Readiness(database: db)
            readiness.add(to: router)
            let watch = Task { await readiness.watch(logger: logger) }
            defer { watch.cancel() }
            let connections = ConnectionLimit.resolve(maxConnections)
            let timeouts = ConnectionTimeouts(
                header: .seconds(Int64(headerTimeout)), idle: .seconds(Int64(idleTimeout)), body: .seconds(Int64(bodyTimeout)),
                send: .seconds(Int64(sendTimeout))
            )
            let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionTimeoutsHandler(timeouts: timeouts), ExpectContinueHandler()])
            // With an upstream, WebSocket upgrades go through the router and the policy, then are relayed
            // (on plain HTTP/1.1: behind the TLS listener they are not, docs/gateway.md).
            let server: HTTPServerBuilder
            if tlsConfiguration != nil {
                server = try TLSOptions.server(
                    tls: tlsConfiguration, handlers: { [ConnectionTimeoutsHandler(timeouts: timeouts), ExpectContinueHandler()] },
                    handshakeTimeout: .seconds(headerTimeout), idleTimeout: .seconds(idleTimeout)
                )
            } else if proxy != nil {
                server = .gateway(router: router, http1: http1, webSockets: webSockets)
            } else {
                server = .http1(configuration: http1)
            }
            let app = Application(
                router: router,
                server: server,
                // A gateway meets bursts of new connections: a longer accept queue than Hummingbird's 256.
                configuration: .init(
                    address: .hostname(host, port: port), serverName: "Gatehouse", backlog: 1024,
                    availableConnectionsDelegate: .maximum(connections, logger: logger)
                ),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? port
                    logger.info(
                        "serving \(redactedURL) at \(tlsConfiguration == nil ? "http" : "https")://\(host):\(bound)/accounts/login/",
                        metadata: ["executor": "\(EventLoopExecutor.name)"]
                    )
                },
                logger: logger
            )
            do {
                try await app.runService()
            } catch {
                try? await proxy?.shutdown()
                if "\(error)".contains("Address already in use") {
                    throw CommandFailure("\(host):\(port) is already in use: stop what listens there, or choose another port with --port")
                }
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
