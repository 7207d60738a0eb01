import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// One browser for the load and fault tests: AsyncHTTPClient (no process per request, unlike Curl),
// its own cookies, redirects not followed. Every answer says how long it took.
final class WebSession: @unchecked Sendable {
    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: String
        let started: ContinuousClock.Instant
        let seconds: Double

        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    let client: HTTPClient
    private let lock = NSLock()
    private var cookies: [String: String] = [:]

    init(client: HTTPClient) {
        self.client = client
    }

    /// A client for a test: room for many connections, no redirects, reads bounded by 30 s.
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30))
        )
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func cookie(_ name: String) -> String? { lock.withLock { cookies[name] } }

    var sessionKey: String? { cookie("sessionid") }

    /// Sets a cookie as if the server had (a session key read from the database, say).
    func setCookie(_ name: String, _ value: String) { lock.withLock { cookies[name] = value } }

    /// A copy with the same cookies (the same session, another tab).
    func copy() -> WebSession {
        let other = WebSession(client: client)
        let cookies = lock.withLock { self.cookies }
        other.lock.withLock { other.cookies = cookies }
        return other
    }

    func request(
        _ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], form: [(String, String)]? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let cookieHeader = lock.withLock { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookieHeader.isEmpty { request.headers.add(name: "Cookie", value: cookieHeader) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let body = form.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let started = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(max(1, timeout.components.seconds)))
        let body = try await response.body.collect(upTo: 4 << 20)
        let elapsed = ContinuousClock.now - started
        for value in response.headers["Set-Cookie"] {
            let pair = value.split(separator: ";", maxSplits: 1).first ?? ""
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
            let cookieValue = String(pair[pair.index(after: equals)...])
            let expired = value.lowercased().contains("max-age=0") || cookieValue.isEmpty || cookieValue == "\"\""
            lock.withLock { cookies[name] = expired ? nil : cookieValue }
        }
        return Answer(
            status: Int(response.status.code), headers: response.headers, body: String(buffer: body), started: started,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
    }

    /// The login form's CSRF token, then the form: the answer to the POST (302 when logged in).
    func logIn(_ base: String, username: String, password: String, next: String? = nil) async throws -> Answer {
        let page = try await request("\(base)/accounts/login/")
        guard let range = page.body.range(of: #"name="csrfmiddlewaretoken" value=""#) else {
            throw PeerFailure("no login form at \(base): \(page.status) \(page.body.prefix(300))")
        }
        let token = String(page.body[range.upperBound...].prefix(64))
        var form = [("csrfmiddlewaretoken", token), ("username", username), ("password", password)]
        if let next { form.append(("next", next)) }
        return try await request("\(base)/accounts/login/", method: .POST, headers: [("Origin", base)], form: form)
    }

    /// Posts a form of the page at `path` (profile, logout, password change) with its CSRF token.
    func submit(_ base: String, page path: String, to action: String, fields: [(String, String)] = []) async throws -> Answer {
        let page = try await request("\(base)\(path)")
        guard let range = page.body.range(of: #"name="csrfmiddlewaretoken" value=""#) else {
            throw PeerFailure("no form at \(base)\(path): \(page.status) \(page.body.prefix(300))")
        }
        let token = String(page.body[range.upperBound...].prefix(64))
        return try await request("\(base)\(action)", method: .POST, headers: [("Origin", base)], form: [("csrfmiddlewaretoken", token)] + fields)
    }

    /// Asks the forward-auth endpoint whether this session may have `uri`: 200 (with the user in
    /// `X-Gatehouse-User`), 401 (log in), 403, or 503 when the database is out.
    func authorize(_ base: String, uri: String, timeout: Duration = .seconds(30)) async throws -> Answer {
        try await request("\(base)/_gatehouse/auth", headers: [("X-Original-URI", uri), ("X-Original-Method", "GET")], timeout: timeout)
    }
}
