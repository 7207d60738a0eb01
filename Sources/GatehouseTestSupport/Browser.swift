import Foundation
public import HTTPTypes
import Hummingbird
public import HummingbirdTesting
public import NIOCore
import Testing

/// A test client that keeps cookies like a browser and can fill in Django-style forms.
public final class Browser: @unchecked Sendable {
    public let client: any TestClientProtocol
    private let lock = NSLock()
    public private(set) var cookies: [String: String] = [:]
    public var origin: String? = "http://localhost"

    public init(_ client: any TestClientProtocol) {
        self.client = client
    }

    public func cookie(_ name: String) -> String? { lock.withLock { cookies[name] } }
    public func setCookie(_ name: String, _ value: String?) { lock.withLock { cookies[name] = value } }

    @discardableResult
    public func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    @discardableResult
    public func post(_ uri: String, form: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let origin, headers[.origin] == nil { headers[.origin] = origin }
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    public func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        let jar = lock.withLock { cookies }
        if !jar.isEmpty, headers[.cookie] == nil {
            headers[.cookie] = jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let first = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            let parts = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let expired = header.lowercased().contains("max-age=0")
            lock.withLock { cookies[String(parts[0])] = expired ? nil : String(parts[1]) }
        }
        return response
    }

    /// The value of the hidden `csrfmiddlewaretoken` input on a page.
    public static func csrfToken(in page: TestResponse) -> String? {
        let html = String(buffer: page.body)
        guard let range = html.range(of: #"name="csrfmiddlewaretoken" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    public static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Logs in through the real form at `/accounts/login/` (CSRF token included).
    @discardableResult
    public func logIn(username: String, password: String, next: String = "") async throws -> TestResponse {
        let page = try await get("/accounts/login/")
        let token = try #require(Self.csrfToken(in: page))
        return try await post(
            "/accounts/login/", form: [("csrfmiddlewaretoken", token), ("username", username), ("password", password), ("next", next)]
        )
    }
}
