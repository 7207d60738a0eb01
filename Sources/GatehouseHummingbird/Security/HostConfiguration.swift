public import Gatehouse
import Foundation
package import Hummingbird

/// Which `Host` values Gatehouse answers, and the origin its links (password reset emails) use.
///
/// Links in email are built from the request's scheme and `Host` only when that host is allowed
/// (``allowedHosts``, Django's `ALLOWED_HOSTS`; this machine by default); every request with another
/// `Host` gets 400 (``AllowedHostsMiddleware``), so that nobody can have a reset link mailed to a
/// victim that points at the attacker's server. With ``publicOrigin`` set, links always use it and
/// its host is allowed too.
///
/// ```swift
/// var hosts = try HostConfiguration(allowedHosts: AllowedHosts([".example.com"]), publicURL: "https://auth.example.com")
/// hosts.anyHostPathPrefixes = []   // probes and forward auth must name an allowed host too
/// ```
public struct HostConfiguration: Sendable {
    /// The hosts requests may name (default: ``Gatehouse/AllowedHosts/local``).
    public var allowedHosts: AllowedHosts
    /// The fixed origin of links (`https://example.com`), or `nil` to use each request's own.
    public private(set) var publicOrigin: String?
    /// Paths answered whatever the `Host`: machine endpoints that build no links and are asked by
    /// address (health and readiness probes, forward auth from a front server). Default:
    /// `/_gatehouse/`.
    public var anyHostPathPrefixes: [String] = ["/_gatehouse/"]

    /// Creates the configuration with requests' own origins for links.
    public init(allowedHosts: AllowedHosts = .local) {
        self.allowedHosts = allowedHosts
    }

    /// Creates the configuration with a fixed origin for links.
    ///
    /// `publicURL` is an `http` or `https` origin: a host and optional port, no user, path, query or
    /// fragment. Anything else throws ``GatehouseConfigurationError``.
    public init(allowedHosts: AllowedHosts = .local, publicURL: String?) throws(GatehouseConfigurationError) {
        self.allowedHosts = allowedHosts
        self.publicOrigin = try publicURL.map { url throws(GatehouseConfigurationError) in try Self.origin(ofPublicURL: url) }
    }

    /// Whether a request naming `host` is answered.
    public func allows(host: String) -> Bool {
        if allowedHosts.allows(host: host) { return true }
        guard let publicOrigin, let domain = AllowedHosts.domain(ofHost: host) else { return false }
        return AllowedHosts.domain(ofHost: Self.authority(ofOrigin: publicOrigin)) == domain
    }

    /// The origin for links made while answering `request`: ``publicOrigin``, or the request's scheme
    /// (`https` when `isSecure`) and `Host`.
    package func origin(of request: Request, isSecure: Bool) -> String {
        if let publicOrigin { return publicOrigin }
        return "\(isSecure ? "https" : "http")://\(request.head.authority ?? "localhost")"
    }

    static func authority(ofOrigin origin: String) -> String {
        guard let range = origin.range(of: "://") else { return origin }
        return String(origin[range.upperBound...])
    }

    /// `scheme://host[:port]`, lowercased, of a public URL; throws when it is anything more or less.
    static func origin(ofPublicURL text: String) throws(GatehouseConfigurationError) -> String {
        func invalid(_ reason: String) -> GatehouseConfigurationError { .invalidPublicURL(reason) }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw invalid("it is not a URL")
        }
        guard scheme == "http" || scheme == "https" else { throw invalid("its scheme must be http or https") }
        guard components.user == nil, components.password == nil else { throw invalid("it must not name a user") }
        guard components.query == nil, components.fragment == nil, components.path.isEmpty || components.path == "/" else {
            throw invalid("it must be an origin only (no path, query or fragment): Gatehouse's pages live at their own paths")
        }
        guard let encodedHost = components.percentEncodedHost, !encodedHost.isEmpty else { throw invalid("it has no host") }
        var authority = encodedHost.lowercased()
        if let port = components.port {
            guard (1...65_535).contains(port) else { throw invalid("its port is out of range") }
            authority += ":\(port)"
        }
        guard AllowedHosts.domain(ofHost: authority) != nil else { throw invalid("its host is not a host name or address") }
        return "\(scheme)://\(authority)"
    }
}
