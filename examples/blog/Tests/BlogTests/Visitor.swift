import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A browser for the tests: keeps cookies across requests and fills in forms with their CSRF token.
final class Visitor {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    @discardableResult
    func get(_ uri: String, json: Bool = false) async throws -> TestResponse {
        try await send(uri, method: .get, headers: json ? [.accept: "application/json"] : [:], body: nil)
    }

    /// Posts `form` to `uri` with the CSRF token of the page at `formPage` (Gatehouse checks it).
    @discardableResult
    func submit(_ form: [String: String], to uri: String, from formPage: String) async throws -> TestResponse {
        let page = try await get(formPage)
        let token = try #require(Self.csrfToken(in: page), "no csrfmiddlewaretoken on \(formPage)")
        let fields = form.merging(["csrfmiddlewaretoken": token]) { mine, _ in mine }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(
            uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)
        )
    }

    /// Logs in through Gatehouse's login form.
    @discardableResult
    func logIn(_ username: String, password: String, next: String = "") async throws -> TestResponse {
        try await submit(["username": username, "password": password, "next": next], to: "/accounts/login/", from: "/accounts/login/")
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.prefix { $0 != ";" }.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            cookies[String(pair[0])] = header.lowercased().contains("max-age=0") ? nil : String(pair[1])
        }
        return response
    }

    static func csrfToken(in page: TestResponse) -> String? {
        let html = String(buffer: page.body)
        guard let start = html.range(of: #"name="csrfmiddlewaretoken" value=""#)?.upperBound else { return nil }
        return html[start...].prefix { $0 != "\"" }.description
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
