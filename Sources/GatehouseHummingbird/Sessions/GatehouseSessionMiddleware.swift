public import Gatehouse
import Foundation
public import Hummingbird
import Logging

/// Loads the request's session from its cookie before the route runs and saves it afterwards,
/// setting or deleting the cookie as the ``SessionManager`` decides.
///
/// An unknown, expired or malformed cookie gives an empty session and writes nothing. Responses
/// whose session was read get `Vary: Cookie` and `Cache-Control: private`. When the route throws,
/// nothing is saved (as Django does not save after a server error).
///
/// ```swift
/// router.add(middleware: GatehouseSessionMiddleware(manager: sessions))
/// ```
public struct GatehouseSessionMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// Loads and saves sessions.
    public let manager: SessionManager
    /// How the cookie is written.
    public let cookie: SessionCookieConfiguration

    /// Creates the middleware.
    public init(manager: SessionManager, cookie: SessionCookieConfiguration = SessionCookieConfiguration()) {
        self.manager = manager
        self.cookie = cookie
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let name = manager.configuration.cookieName
        let value = request.cookieValue(name)
        let session: Session
        do {
            session = try await manager.load(cookie: value)
        } catch {
            context.logger.error("session store unavailable", metadata: ["error_type": "\(type(of: error))"])
            throw HTTPError(.serviceUnavailable, message: "Sessions are unavailable; try again shortly.")
        }
        context.gatehouse.session = session
        var response = try await next(request, context)
        let update: SessionCookieUpdate
        do {
            update = try await manager.save(session, isServerError: response.status.code >= 500)
        } catch {
            context.logger.error("session could not be saved", metadata: ["error_type": "\(type(of: error))"])
            throw HTTPError(.serviceUnavailable, message: "Sessions are unavailable; try again shortly.")
        }
        if update.varyOnCookie {
            Self.addVaryCookie(to: &response.headers)
            if response.headers[.cacheControl] == nil {
                response.headers[.cacheControl] = "private"
            } else if let existing = response.headers[.cacheControl], !existing.lowercased().contains("private") {
                response.headers[.cacheControl] = "\(existing), private"
            }
        }
        let secure = cookie.isSecure(requestIsSecure: context.gatehouse.isSecure)
        switch update.action {
        case .keep:
            break
        case .set(let cookieValue, let maxAge, let expires):
            response.setCookie(sessionCookie(name: name, value: cookieValue, maxAge: maxAge, expires: expires, secure: secure))
        case .delete:
            response.setCookie(
                sessionCookie(name: name, value: "", maxAge: 0, expires: Date(timeIntervalSince1970: 0), secure: secure)
            )
        }
        return response
    }

    static func addVaryCookie(to headers: inout HTTPFields) {
        let existing = headers[values: .vary].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        if !existing.contains("cookie") && !existing.contains("*") {
            headers[values: .vary].append("Cookie")
        }
    }

    func sessionCookie(name: String, value: String, maxAge: Int?, expires: Date?, secure: Bool) -> Cookie {
        ResponseCookie.make(
            name: name, value: value, expires: expires, maxAge: maxAge, domain: cookie.domain, path: cookie.path,
            secure: secure, httpOnly: true, sameSite: cookie.sameSite
        )
    }
}
