public import Hummingbird
public import Logging

/// Refuses (400) every request whose `Host` is not one of ``HostConfiguration``'s allowed hosts,
/// as Django does for `ALLOWED_HOSTS`: links in email are built from the `Host`, and a site that
/// answers any host can be made to mail a victim a password reset link to the attacker's server.
///
/// Paths under ``HostConfiguration/anyHostPathPrefixes`` (probes, forward auth) are answered
/// whatever the host. A refusal is logged at `notice` with the host, so that an operator who
/// forgot a name sees what to add with `--allowed-host`.
///
/// ```swift
/// router.add(middleware: AllowedHostsMiddleware(configuration: HostConfiguration(allowedHosts: AllowedHosts(["example.com"]))))
/// ```
public struct AllowedHostsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The hosts.
    public let configuration: HostConfiguration
    private let logger: Logger

    /// Creates the middleware.
    public init(configuration: HostConfiguration, logger: Logger = Logger(label: "gatehouse.hosts")) {
        self.configuration = configuration
        self.logger = logger
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority ?? ""
        if configuration.allows(host: host) || configuration.anyHostPathPrefixes.contains(where: { request.uri.path.hasPrefix($0) }) {
            return try await next(request, context)
        }
        // SingleHostMiddleware, in front, has refused anything but host-name bytes; the length is capped here.
        logger.notice(
            "request refused: its Host is not an allowed host; add it with --allowed-host if it is this site's",
            metadata: ["host": "\(host.prefix(255))"]
        )
        throw HTTPError(.badRequest, message: "Bad Request: the Host header names a host this site does not serve.")
    }
}
