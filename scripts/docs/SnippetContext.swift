// The names documentation examples use without declaring them, for scripts/docs/check_snippets.py.
//
// Examples are fragments: "store", "alice" or "request" are introduced by the prose around them.
// Here each such name has one type, and is declared but never evaluated (the examples are compiled,
// never run). A name that means something else in one source file is declared again for that file
// only, in an extension of the file's namespace (`Snippets_` + its path with `_` for `/` and `.`),
// at the end of this file. An example that declares a name itself uses its own.
//
// Add a name here only when the prose really introduces it; an example that is wrong should be fixed.
import AsyncHTTPClient
import Foundation
import Gatehouse
import GatehouseConformance
import GatehouseGateway
import GatehouseHummingbird
import GatehousePostgres
import GatehouseSQL
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import SQLKit
import Testing

/// A value of any type, for declarations that are never evaluated.
func placeholder<T>() -> T { fatalError("documentation examples are compiled, never run") }

// Configuration and secrets.
nonisolated(unsafe) var keys: SigningKeys = placeholder()
nonisolated(unsafe) var secretKey: String = placeholder()
nonisolated(unsafe) var secret: String = placeholder()
nonisolated(unsafe) var key: String = placeholder()
nonisolated(unsafe) var current: String = placeholder()
nonisolated(unsafe) var previous: String = placeholder()
nonisolated(unsafe) var env: [String: String] = placeholder()
nonisolated(unsafe) var clock: any WallClock = placeholder()
nonisolated(unsafe) var now: Date = placeholder()
nonisolated(unsafe) var date: Date = placeholder()
nonisolated(unsafe) var logger: Logger = placeholder()
nonisolated(unsafe) var configuration: LoginThrottleConfiguration = placeholder()
nonisolated(unsafe) var error: any Error = placeholder()
nonisolated(unsafe) var input: String = placeholder()
nonisolated(unsafe) var data: Data = placeholder()
nonisolated(unsafe) var value: JSONValue = placeholder()

// Stores and databases.
nonisolated(unsafe) var provider: any SQLDatabaseProvider = placeholder()
nonisolated(unsafe) var store: SQLAuthStore = placeholder()
nonisolated(unsafe) var users: any UserStore = placeholder()
nonisolated(unsafe) var sessionStore: any SessionStore = placeholder()
nonisolated(unsafe) var sessions: SessionManager = placeholder()
nonisolated(unsafe) var session: Session = placeholder()
nonisolated(unsafe) var record: SessionRecord = placeholder()
nonisolated(unsafe) var update: SessionCookieUpdate = placeholder()
nonisolated(unsafe) var cache: PermissionCache = placeholder()
nonisolated(unsafe) var versions: PermissionVersion = placeholder()
nonisolated(unsafe) var rowVersion: UInt64 = placeholder()
nonisolated(unsafe) var expiry: Date = placeholder()
nonisolated(unsafe) var sessionDataColumn: String = placeholder()

// Users, groups, permissions.
nonisolated(unsafe) var user: User = placeholder()
nonisolated(unsafe) var alice: User = placeholder()
nonisolated(unsafe) var author: User = placeholder()
nonisolated(unsafe) var account: any UserAccount = placeholder()
nonisolated(unsafe) var userID: Int64 = placeholder()
nonisolated(unsafe) var draft: NewUser = placeholder()
nonisolated(unsafe) var editors: Group = placeholder()
nonisolated(unsafe) var copyDesk: Group = placeholder()
nonisolated(unsafe) var post: ContentType = placeholder()
nonisolated(unsafe) var change: Permission = placeholder()
nonisolated(unsafe) var perm: Permission = placeholder()
nonisolated(unsafe) var object: ObjectReference = placeholder()
nonisolated(unsafe) var post42: ObjectReference = placeholder()
nonisolated(unsafe) var grants: [ObjectPermissionGrant] = placeholder()
nonisolated(unsafe) var grant: ObjectPermissionGrant = placeholder()
nonisolated(unsafe) var checker: PermissionChecker = placeholder()
nonisolated(unsafe) var backend: any PermissionBackend = placeholder()
nonisolated(unsafe) var registration: ModelRegistration = placeholder()

// Passwords.
nonisolated(unsafe) var hashers: PasswordHashers = placeholder()
nonisolated(unsafe) var hasher: any PasswordHasher = placeholder()
nonisolated(unsafe) var validators: PasswordValidators = placeholder()
nonisolated(unsafe) var password: String = placeholder()
nonisolated(unsafe) var newPassword: String = placeholder()
nonisolated(unsafe) var given: String = placeholder()
nonisolated(unsafe) var typed: String = placeholder()
nonisolated(unsafe) var encoded: String = placeholder()
nonisolated(unsafe) var stored: String = placeholder()
nonisolated(unsafe) var hash: String = placeholder()
nonisolated(unsafe) var summary: PasswordHashSummary = placeholder()
nonisolated(unsafe) var pool: PasswordHashingPool = placeholder()
nonisolated(unsafe) var result: PasswordVerification = placeholder()
nonisolated(unsafe) var attributes: PasswordUserAttributes = placeholder()
nonisolated(unsafe) var storedArgon2Hash: String = placeholder()
nonisolated(unsafe) var costTwelveHash: String = placeholder()
nonisolated(unsafe) var costTenHash: String = placeholder()
nonisolated(unsafe) var costFourHash: String = placeholder()
nonisolated(unsafe) var oldHash: String = placeholder()
nonisolated(unsafe) var hashPart: String = placeholder()
nonisolated(unsafe) var expected: String = placeholder()
nonisolated(unsafe) var keyBytes: [UInt8] = placeholder()

// Signing.
nonisolated(unsafe) var signer: Signer = placeholder()
nonisolated(unsafe) var token: String = placeholder()

// Logging in.
nonisolated(unsafe) var authenticator: Authenticator = placeholder()
nonisolated(unsafe) var credentials: Credentials = placeholder()
nonisolated(unsafe) var facts: RequestFacts = placeholder()
nonisolated(unsafe) var sessionLogin: SessionLogin = placeholder()
nonisolated(unsafe) var login: SessionLogin = placeholder()
nonisolated(unsafe) var throttle: LoginThrottle = placeholder()
nonisolated(unsafe) var outcome: LoginAttemptOutcome = placeholder()
nonisolated(unsafe) var lock: LoginLock = placeholder()
nonisolated(unsafe) var remote: RemoteUserBackend = placeholder()
nonisolated(unsafe) var window: LoginFailureWindow = placeholder()
nonisolated(unsafe) var limit: Int = placeholder()
nonisolated(unsafe) var cutoff: Date = placeholder()
nonisolated(unsafe) var entry: LoginThrottleReportEntry = placeholder()

// CSRF.
nonisolated(unsafe) var verdict: CSRFVerdict = placeholder()
nonisolated(unsafe) var rejection: CSRFRejection = placeholder()
nonisolated(unsafe) var origin: String? = placeholder()
nonisolated(unsafe) var referer: String? = placeholder()
nonisolated(unsafe) var cookie: String = placeholder()
nonisolated(unsafe) var field: String? = placeholder()
nonisolated(unsafe) var header: String? = placeholder()
nonisolated(unsafe) var formField: String = placeholder()
nonisolated(unsafe) var cookieSecret: String = placeholder()

// HTTP, in the domain module's examples: plain values.
nonisolated(unsafe) var headers: [String: String] = placeholder()
nonisolated(unsafe) var cookies: [String: String] = placeholder()
nonisolated(unsafe) var form: [String: String] = placeholder()
nonisolated(unsafe) var host: String = placeholder()
nonisolated(unsafe) var isSecure: Bool = placeholder()
nonisolated(unsafe) var next: String? = placeholder()
nonisolated(unsafe) var path: String = placeholder()
nonisolated(unsafe) var status: Int = placeholder()

// Hummingbird.
nonisolated(unsafe) var request: Request = placeholder()
nonisolated(unsafe) var response: Response = placeholder()
nonisolated(unsafe) var context: GatehouseRequestContext = placeholder()
nonisolated(unsafe) var router: Router<GatehouseRequestContext> = placeholder()
nonisolated(unsafe) var group: RouterGroup<GatehouseRequestContext> = placeholder()
nonisolated(unsafe) var builder: GatehouseRouterBuilder = placeholder()
nonisolated(unsafe) var proxies: TrustedProxyConfiguration = placeholder()
nonisolated(unsafe) var message: String = placeholder()
nonisolated(unsafe) var templates: GatehouseTemplates = placeholder()

// The gateway.
nonisolated(unsafe) var policy: GatewayPolicy = placeholder()
nonisolated(unsafe) var holder: PolicyHolder = placeholder()
nonisolated(unsafe) var proxy: GatewayProxy<GatehouseRequestContext> = placeholder()
nonisolated(unsafe) var text: String = placeholder()
nonisolated(unsafe) var rule: GatewayPolicy.Rule = placeholder()

/// Stand-ins for the application code examples call.
func makeEmptyStore() async throws -> SQLAuthStore { placeholder() }
func login(_ result: AuthenticationResult) async throws {}
func audit(_ username: String?, _ address: String?) {}
func isLockedOut(_ username: String?) -> Bool { false }
func isAuthor(_ account: any UserAccount, _ target: PermissionTarget) -> Bool { false }
func showForm(error: String) {}
func writeSomething() async throws {}
func refuse(retryAfter: Int) {}

/// A metrics client, for examples that count things.
struct Metrics {
    func increment(_ name: String) {}
    func gauge(_ name: String, _ value: Int) {}
}
nonisolated(unsafe) var metrics = Metrics()

// Names that mean something else in one source file.

extension Snippets_Sources_Gatehouse_CSRF_CSRFChecker {
    nonisolated(unsafe) static var checker: CSRFChecker = placeholder()
}

extension Snippets_Sources_Gatehouse_CSRF_CSRFConfiguration {
    nonisolated(unsafe) static var configuration: CSRFConfiguration = placeholder()
}

extension Snippets_Sources_Gatehouse_Sessions_SessionConfiguration {
    nonisolated(unsafe) static var configuration: SessionConfiguration = placeholder()
}

extension Snippets_Sources_Gatehouse_Signing_SigningConfiguration {
    nonisolated(unsafe) static var signer: TimestampSigner = placeholder()
}

extension Snippets_Sources_Gatehouse_Signing_TimestampSigner {
    nonisolated(unsafe) static var signer: TimestampSigner = placeholder()
}

extension Snippets_Sources_Gatehouse_Permissions_Caching_UserCache {
    nonisolated(unsafe) static var cache: UserCache = placeholder()
}

extension Snippets_Sources_Gatehouse_Sessions_SessionStore {
    nonisolated(unsafe) static var store: any SessionStore = placeholder()
}

extension Snippets_Sources_Gatehouse_Sessions_MemorySessionStore {
    nonisolated(unsafe) static var store: MemorySessionStore = placeholder()
}

extension Snippets_Sources_Gatehouse_Authentication_Throttling_LoginFailureStore {
    nonisolated(unsafe) static var store: any LoginFailureStore = placeholder()
}

extension Snippets_Sources_Gatehouse_Authentication_Throttling_MemoryLoginFailureStore {
    nonisolated(unsafe) static var store: MemoryLoginFailureStore = placeholder()
}

extension Snippets_Sources_GatehouseSQL_Sessions_SQLSessionStore {
    nonisolated(unsafe) static var store: SQLSessionStore = placeholder()
    nonisolated(unsafe) static var sessions: SQLSessionStore = placeholder()
}

extension Snippets_Sources_GatehouseSQL_Throttling_SQLLoginFailureStore {
    nonisolated(unsafe) static var store: SQLLoginFailureStore = placeholder()
}

extension Snippets_Sources_Gatehouse_Redirects_RedirectValidator {
    nonisolated(unsafe) static var validator: RedirectValidator = placeholder()
}

extension Snippets_Sources_GatehouseGateway_ForwardAuth_IdentityHeaders {
    nonisolated(unsafe) static var headers: HTTPFields = placeholder()
}

extension Snippets_Sources_Gatehouse_Passwords_PasswordError {
    nonisolated(unsafe) static var error: PasswordError = placeholder()
}

extension Snippets_Sources_Gatehouse_Authentication_Throttling_LoginThrottleError {
    nonisolated(unsafe) static var error: LoginThrottleError = placeholder()
}

extension Snippets_Sources_Gatehouse_Signing_SigningError {
    nonisolated(unsafe) static var error: SigningError = placeholder()
}

extension Snippets_Sources_Gatehouse_CSRF_CSRFRejection {
    nonisolated(unsafe) static var checker: CSRFChecker = placeholder()
}

extension Snippets_Sources_GatehouseGateway_Proxy_GatewayProxy {
    nonisolated(unsafe) static var loop: any EventLoop = placeholder()
    nonisolated(unsafe) static var outbound: HTTPClientRequest = placeholder()
}

extension Snippets_Sources_Gatehouse_CSRF_CSRFToken {
    nonisolated(unsafe) static var value: String = placeholder()
    nonisolated(unsafe) static var error: CSRFTokenFormatError = placeholder()
}

extension Snippets_Sources_Gatehouse_Permissions_Caching_PermissionCache {
    nonisolated(unsafe) static var key: PermissionCache.Key = placeholder()
}

extension Snippets_Sources_Gatehouse_Sessions_SessionCodecs {
    nonisolated(unsafe) static var codec: SessionDataCodec = placeholder()
    nonisolated(unsafe) static var cookieCodec: SignedCookieSessionCodec = placeholder()
}

extension Snippets_Sources_Gatehouse_Sessions_SessionConfiguration {
    nonisolated(unsafe) static var store: any SessionStore = placeholder()
}

extension Snippets_Sources_Gatehouse_Authentication_Throttling_LoginThrottleError {
    nonisolated(unsafe) static var status: HTTPResponse.Status = placeholder()
}

extension Snippets_Sources_GatehouseConformance_LoginFailureStoreConformance {
    nonisolated(unsafe) static var check: LoginFailureStoreConformance.Case = placeholder()
}

extension Snippets_Sources_GatehouseConformance_ObjectPermissionConformance {
    nonisolated(unsafe) static var check: ObjectPermissionConformance.Case = placeholder()
}

extension Snippets_Sources_GatehouseConformance_PermissionCheckerConformance {
    nonisolated(unsafe) static var check: PermissionCheckerConformance.Case = placeholder()
}

extension Snippets_Sources_GatehouseGateway_Proxy_GatewayProxy {
    nonisolated(unsafe) static var configuration: GatewayProxyConfiguration = placeholder()
}

extension Snippets_Sources_GatehouseHummingbird_Guards_AccessDenied {
    nonisolated(unsafe) static var outcome: AccessOutcome = placeholder()
}

extension Snippets_Sources_Gatehouse_Sessions_SessionDataCache {
    nonisolated(unsafe) static var data: [String: JSONValue] = placeholder()
}
