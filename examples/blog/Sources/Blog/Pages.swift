import Foundation
import Hummingbird
import Mustache

/// The blog's Mustache templates (Sources/Blog/Templates), loaded once.
struct Pages: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Pages {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw HTTPError(.internalServerError, message: "the blog's templates are missing")
        }
        return Pages(library: try await MustacheLibrary(directory: directory))
    }

    /// The page `name` rendered with `values`.
    func render(_ name: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) throws -> HTMLPage {
        guard let html = library.render(values, withTemplate: name) else {
            throw HTTPError(.internalServerError, message: "no template named \(name)")
        }
        return HTMLPage(status: status, html: html)
    }
}

/// An HTML response.
struct HTMLPage: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let html: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
