public import Gatehouse
import Foundation
import HTTPTypes
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
    /// Where logged-in sessions are recorded by user, for the sessions page; `nil` records nothing.
    public let userSessions: UserSessions?

    /// Creates the middleware. With `userSessions`, a session that a login made or
    /// ``UserSessionMiddleware`` verified is recorded under its user once saved (its first request,
    /// then at most once per ``Gatehouse/UserSessionsConfiguration/lastSeenResolution``), and the
    /// record of a key the request dropped (logout, key rotation) is deleted.
    public init(
        manager: SessionManager, cookie: SessionCookieConfiguration = SessionCookieConfiguration(), userSessions: UserSessions? = nil
    ) {
        self.manager = manager
        self.cookie = cookie
        self.userSessions = userSessions
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
        let keyBefore = session.key
        var response = try await next(request, context)
        let update: SessionCookieUpdate
        do {
            update = try await manager.save(session, isServerError: response.status.code >= 500)
        } catch {
            context.logger.error("session could not be saved", metadata: ["error_type": "\(type(of: error))"])
            throw HTTPError(.serviceUnavailable, message: "Sessions are unavailable; try again shortly.")
        }
        if let userSessions {
            await record(session, keyBefore: keyBefore, in: userSessions, request: request, context: context)
        }
        if update.varyOnCookie {
            Self.addVaryCookie(to: &response.headers)
            // `contains` and `values`: the joining getter is generic code that costs a microsecond.
            if !response.headers.contains(.cacheControl) {
                response.headers.append(HTTPField(name: .cacheControl, value: "private"))
            } else {
                let existing = response.headers[values: .cacheControl]
                if !Self.hasPrivateDirective(existing) {
                    response.headers[.cacheControl] = existing.joined(separator: ", ") + ", private"
                }
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

    /// Keeps the session's record by user; a failure is logged (never with the key) and does not fail
    /// the request: the session itself was saved, and the record is bookkeeping.
    func record(_ session: Session, keyBefore: String?, in userSessions: UserSessions, request: Request, context: Context) async {
        let keyAfter = session.key
        do {
            if let keyBefore, keyBefore != keyAfter {
                try await userSessions.sessionLeft(key: keyBefore)
            }
            if let keyAfter, let userID = session.verifiedUserID {
                try await userSessions.sessionUsed(
                    key: keyAfter, userID: userID, createdAt: session.createdAt, clientAddress: context.gatehouse.remoteAddress,
                    userAgent: request.headers[.userAgent]
                )
            }
        } catch {
            context.logger.error("the session could not be recorded for its user", metadata: ["error_type": "\(type(of: error))"])
        }
    }

    /// Whether a `Cache-Control` value has the `private` directive (alone or with field names:
    /// `private="Set-Cookie"`), in any case; compared on bytes, without Foundation's string search.
    static func hasPrivateDirective(_ values: [String]) -> Bool {
        HeaderList.contains(values, token: "private", ignoringArguments: true)
    }

    static func addVaryCookie(to headers: inout HTTPFields) {
        if headers.contains(.vary) {
            let existing = headers[values: .vary]
            if HeaderList.contains(existing, token: "cookie") || HeaderList.contains(existing, token: "*") { return }
        }
        headers.append(HTTPField(name: .vary, value: "Cookie"))
    }

    func sessionCookie(name: String, value: String, maxAge: Int?, expires: Date?, secure: Bool) -> Cookie {
        ResponseCookie.make(
            name: name, value: value, expires: expires, maxAge: maxAge, domain: cookie.domain, path: cookie.path,
            secure: secure, httpOnly: true, sameSite: cookie.sameSite
        )
    }
}
