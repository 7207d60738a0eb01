package import HTTPTypes
package import Hummingbird
package import NIOCore

/// How every page Gatehouse draws is answered: HTML in UTF-8, never stored by a shared or private
/// cache (each page is about one visitor: their form, their sessions, their right to a resource).
package enum HTMLPage {
    /// `body` as an HTML answer with `status`.
    package static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache, no-store, must-revalidate, private"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}

extension GatehouseTemplates {
    /// `template` rendered with `values` as an HTML answer (an empty page if no such template exists:
    /// the built-in ones always do).
    func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        HTMLPage.response(ByteBuffer(string: render(template, values) ?? ""), status: status)
    }
}
