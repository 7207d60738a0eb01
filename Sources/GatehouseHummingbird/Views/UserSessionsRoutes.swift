public import Gatehouse
import Foundation
public import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// The sessions page, `/accounts/sessions/`: the logged-in user's sessions, where any other one can
/// be ended.
///
/// - `GET` lists the user's live sessions, most recently seen first: when each was signed in and
///   last seen (at most ``Gatehouse/UserSessionsConfiguration/lastSeenResolution`` stale), from which
///   address and browser (user agent); the one making the request is marked. Sessions are named by
///   a short prefix of the SHA-256 of their key, never by the key. An anonymous browser is sent to
///   log in with `next`.
/// - `POST` with `session=<identifier>` ends that session; with `all_others=1`, every session of the
///   user but this one. Then a 302 back to the page. Only the user's own sessions are searched, so an
///   identifier of another user's session is answered 404 like an unknown one. The session making
///   the request is not ended here (400: log out instead). CSRF-protected like every form.
///
/// An ended session's row is deleted from the session store, so its next request is anonymous on
/// every server, Gatehouse's and Django's alike. With signed-cookie sessions there is nothing on the
/// server to delete: the page says so and lists nothing (changing the password ends other sessions).
/// The page is the template `registration/sessions`.
///
/// ```swift
/// UserSessionsRoutes<GatehouseRequestContext>(userSessions: builder.userSessions).add(to: router)
/// ```
public struct UserSessionsRoutes<Context: GatehouseRequestContextProtocol>: Sendable {
    /// The user's sessions; `nil` when sessions cannot be ended (signed cookies).
    public let userSessions: UserSessions?
    /// The pages.
    public let templates: GatehouseTemplates
    /// Paths.
    public let configuration: LoginConfiguration

    /// Creates the routes.
    public init(userSessions: UserSessions?, templates: GatehouseTemplates = GatehouseTemplates(), configuration: LoginConfiguration = LoginConfiguration()) {
        self.userSessions = userSessions
        self.templates = templates
        self.configuration = configuration
    }

    /// Adds the routes to `router`.
    public func add(to router: Router<Context>) {
        router.get(RouterPath(configuration.sessionsPath)) { request, context -> Response in
            try await show(request, context)
        }
        router.post(RouterPath(configuration.sessionsPath)) { request, context -> Response in
            try await submit(request, context)
        }
    }

    /// The logged-in user; anybody else is answered as a guard answers.
    func requireUser(_ context: Context) throws -> User {
        guard let user = context.identity else { throw AccessDenied.loginRequired(context.gatehouse.accessPolicy) }
        return user
    }

    func show(_ request: Request, _ context: Context) async throws -> Response {
        let user = try requireUser(context)
        let csrfToken = context.gatehouse.csrf?.token() ?? ""
        var values: [String: Any] = [
            "title": "Your sessions", "action": configuration.sessionsPath, "csrfToken": csrfToken, "profileURL": configuration.profilePath,
        ]
        if let ended = request.uri.queryParameters.get("ended").flatMap({ Int($0) }), ended >= 0 {
            values["notice"] = ended == 1 ? "1 session was ended." : "\(ended) sessions were ended."
        }
        guard let userSessions else {
            values["signedCookies"] = true
            return page(values)
        }
        let records: [UserSessionRecord]
        do {
            records = try await userSessions.list(userID: user.id)
        } catch {
            throw Self.unavailable(context, error)
        }
        let currentKey = context.gatehouse.session?.key
        var rows: [[String: Any]] = []
        for record in records {
            let current = currentKey.map { ConstantTime.equals($0, record.sessionKey) } ?? false
            rows.append([
                "id": record.id, "shortID": record.shortID, "created": Self.format(record.createdAt),
                "lastSeen": Self.format(record.lastSeenAt),
                "address": record.clientAddress.isEmpty ? "an unknown address" : record.clientAddress,
                "userAgent": record.userAgent.isEmpty ? "Unknown browser" : record.userAgent,
                "current": current, "action": configuration.sessionsPath, "csrfToken": csrfToken,
            ])
        }
        values["sessions"] = rows
        values["hasOthers"] = rows.contains { ($0["current"] as? Bool) == false }
        return page(values)
    }

    /// The `session.ended` audit event of sessions a user ended here (`by`: `user`).
    func auditEnded(user: User, sessions: Int, session: String?, context: Context) {
        var fields = ["user_id": String(user.id), "username": user.username, "by": "user", "sessions": String(sessions)]
        fields["session"] = session
        fields["client"] = context.gatehouse.remoteAddress
        AuditLog().record(AuditEvent("session.ended", fields))
    }

    func submit(_ request: Request, _ context: Context) async throws -> Response {
        let user = try requireUser(context)
        guard let userSessions else {
            throw HTTPError(.badRequest, message: "Sessions are kept in signed cookies here and cannot be ended one by one.")
        }
        let fields = FormFields.parse(try await request.body.collect(upTo: configuration.maximumFormBytes))
        let currentKey = context.gatehouse.session?.key
        if let id = fields.last("session") {
            let ending: UserSessionEnding
            do {
                ending = try await userSessions.end(userID: user.id, idPrefix: id, currentKey: currentKey)
            } catch {
                throw Self.unavailable(context, error)
            }
            switch ending {
            case .ended(let record):
                auditEnded(user: user, sessions: 1, session: record.shortID, context: context)
                return .redirect(to: configuration.sessionsPath + "?ended=1", type: .found)
            case .notFound:
                throw HTTPError(.notFound, message: "No such session.")
            case .ambiguous:
                throw HTTPError(.badRequest, message: "More than one session matches; give the whole identifier.")
            case .current:
                throw HTTPError(.badRequest, message: "This is the session you are using; log out to end it.")
            }
        }
        if fields.last("all_others") != nil {
            let ended: Int
            do {
                ended = try await userSessions.endAll(userID: user.id, except: currentKey)
            } catch {
                throw Self.unavailable(context, error)
            }
            auditEnded(user: user, sessions: ended, session: nil, context: context)
            return .redirect(to: configuration.sessionsPath + "?ended=\(ended)", type: .found)
        }
        throw HTTPError(.badRequest, message: "Say which session to end.")
    }

    /// A store that failed: 503, logged without the key.
    static func unavailable(_ context: Context, _ error: any Error) -> any Error {
        context.logger.error("the user's sessions could not be read or ended", metadata: ["error_type": "\(type(of: error))"])
        return HTTPError(.serviceUnavailable, message: "The service is briefly unavailable; try again shortly.")
    }

    /// `2026-12-07 14:05 UTC`.
    static func format(_ date: Date) -> String {
        String(ISODateTime.format(date, separator: UInt8(ascii: " "), suffix: "").prefix(16)) + " UTC"
    }

    func page(_ values: [String: Any]) -> Response {
        templates.page("registration/sessions", values)
    }
}
