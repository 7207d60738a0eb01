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

    /// The configuration in force: options, then environment variables, then the defaults.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HostConfiguration {
        var patterns = allowedHosts
        if patterns.isEmpty, let text = environment["GATEHOUSE_ALLOWED_HOSTS"] {
            patterns = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
}
