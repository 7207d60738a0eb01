import ArgumentParser
import Foundation
import Gatehouse
import GatehouseHummingbird

/// The hosts `serve` answers to and the origin of its links in email. Each option falls back to
/// its environment variable, then to ``GatehouseHummingbird/HostConfiguration``'s default (this
/// machine only).
struct HostOptions: ParsableArguments {
    @Option(
        name: .customLong("allowed-host"),
        help: ArgumentHelp(
            "A host this site answers to, as Django's ALLOWED_HOSTS: a name or address, .example.com for the domain and its subdomains, * for any. Repeatable; every other Host gets 400 (default: $GATEHOUSE_ALLOWED_HOSTS, comma-separated, else localhost, 127.0.0.1 and [::1]).",
            valueName: "host"
        )
    )
    var allowedHosts: [String] = []

    @Option(
        name: .customLong("public-url"),
        help: ArgumentHelp(
            "The origin of links in email, e.g. https://example.com, instead of each request's own scheme and Host; its host is allowed too (default: $GATEHOUSE_PUBLIC_URL).",
            valueName: "url"
        )
    )
    var publicURL: String?

    @Option(
        name: .customLong("allowed-redirect-host"),
        help: ArgumentHelp(
            "A host (and port, if not the default) that the login page's next= may send users to, besides this site (Django's success_url_allowed_hosts): a sibling application. Repeatable (default: $GATEHOUSE_ALLOWED_REDIRECT_HOSTS, comma-separated).",
            valueName: "host"
        )
    )
    var allowedRedirectHosts: [String] = []

    @Option(
        name: .customLong("cookie-domain"),
        help: ArgumentHelp(
            "The Domain of the session and CSRF cookies, e.g. .example.com for a login shared by example.com and its subdomains (Django's SESSION_COOKIE_DOMAIN; default: $GATEHOUSE_COOKIE_DOMAIN, else this host only).",
            valueName: "domain"
        )
    )
    var cookieDomain: String?

    /// Sets the cookies' domain and the login page's other redirect hosts on `builder`: options, then
    /// environment variables; throws for a value that is not a host name.
    func applyCookiesAndRedirects(to builder: inout GatehouseRouterBuilder, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var redirects = allowedRedirectHosts
        if redirects.isEmpty, let text = environment["GATEHOUSE_ALLOWED_REDIRECT_HOSTS"] {
            redirects = Self.list(text)
        }
        for host in redirects where AllowedHosts.domain(ofHost: host) == nil || host.hasSuffix(".") || host.hasSuffix(":") {
            throw CommandFailure("--allowed-redirect-host \(host) is not a host name or address with an optional port (give it without scheme or path: shop.example.com, shop.example.com:8443)")
        }
        builder.login.allowedRedirectHosts = redirects
        guard let domain = cookieDomain ?? environment["GATEHOUSE_COOKIE_DOMAIN"].flatMap({ $0.isEmpty ? nil : $0 }) else { return }
        let name = domain.hasPrefix(".") ? String(domain.dropFirst()) : domain
        guard AllowedHosts.domain(ofHost: name) == name.lowercased(), !name.contains(":"), !name.hasPrefix("["), name.contains(where: \.isLetter) else {
            throw CommandFailure("--cookie-domain \(domain) is not a domain name (give it as example.com or .example.com, without scheme, port or path)")
        }
        builder.sessionCookie.domain = domain
        builder.csrf.cookieDomain = domain
    }

    /// The configuration in force: options, then environment variables, then the defaults.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HostConfiguration {
        var patterns = allowedHosts
        if patterns.isEmpty, let text = environment["GATEHOUSE_ALLOWED_HOSTS"] {
            patterns = Self.list(text)
        }
        for pattern in patterns where pattern != "*" {
            let name = pattern.hasPrefix(".") ? String(pattern.dropFirst()) : pattern
            guard AllowedHosts.domain(ofHost: name) == name.lowercased() else {
                throw CommandFailure(
                    "--allowed-host \(pattern) is not a host name or address (give a name or address without scheme, port, path or trailing dot: example.com, .example.com for its subdomains too, [::1])"
                )
            }
        }
        let hosts = patterns.isEmpty ? AllowedHosts.local : AllowedHosts(patterns)
        let url = publicURL ?? environment["GATEHOUSE_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            return try HostConfiguration(allowedHosts: hosts, publicURL: url)
        } catch {
            throw CommandFailure("--public-url: \(error)")
        }
    }

    /// The entries of a comma-separated environment variable, trimmed, empty ones dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
