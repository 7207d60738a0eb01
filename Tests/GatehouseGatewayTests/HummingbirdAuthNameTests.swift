import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import Hummingbird
import HummingbirdAuth
import HummingbirdBasicAuth
import HummingbirdBcrypt
import Testing

/// An app imports Gatehouse's modules and hummingbird-auth's side by side and must be able to name
/// every type of either unqualified. This file names each public type of HummingbirdAuth,
/// HummingbirdBasicAuth and HummingbirdBcrypt without its module: were Gatehouse to declare one of
/// these names, the file would stop compiling (an ambiguous name) or the identity checks below would
/// fail (a name that resolves to Gatehouse's type).
@Suite("hummingbird-auth and Gatehouse name no type alike")
struct HummingbirdAuthNameTests {
    typealias AuthContext = BasicAuthRequestContext<User>
    typealias SessionContextType = BasicSessionRequestContext<Int64, User>
    typealias Repository = UserSessionClosureRepository<Int64, User>

    /// (name, the type named unqualified, the same type named through its module).
    static let named: [(String, Any.Type, Any.Type)] = [
        ("AuthRequestContext", (any AuthRequestContext<User>).self, (any HummingbirdAuth.AuthRequestContext<User>).self),
        ("BasicAuthRequestContext", BasicAuthRequestContext<User>.self, HummingbirdAuth.BasicAuthRequestContext<User>.self),
        ("AuthenticatorMiddleware", (any AuthenticatorMiddleware).self, (any HummingbirdAuth.AuthenticatorMiddleware).self),
        ("ClosureAuthenticator", ClosureAuthenticator<AuthContext>.self, HummingbirdAuth.ClosureAuthenticator<AuthContext>.self),
        ("AuthorizationPolicy", (any AuthorizationPolicy<User>).self, (any HummingbirdAuth.AuthorizationPolicy<User>).self),
        ("ClosureAuthorizationPolicy", ClosureAuthorizationPolicy<User>.self, HummingbirdAuth.ClosureAuthorizationPolicy<User>.self),
        (
            "AuthorizationPolicyMiddleware",
            AuthorizationPolicyMiddleware<GatehouseAccessPolicy, AuthContext, HTTPError>.self,
            HummingbirdAuth.AuthorizationPolicyMiddleware<GatehouseAccessPolicy, AuthContext, HTTPError>.self
        ),
        ("_AllOfPair", _AllOfPair<GatehouseAccessPolicy, GatehouseAccessPolicy>.self, HummingbirdAuth._AllOfPair<GatehouseAccessPolicy, GatehouseAccessPolicy>.self),
        ("_AnyOfPair", _AnyOfPair<GatehouseAccessPolicy, GatehouseAccessPolicy>.self, HummingbirdAuth._AnyOfPair<GatehouseAccessPolicy, GatehouseAccessPolicy>.self),
        ("Not", Not<GatehouseAccessPolicy>.self, HummingbirdAuth.Not<GatehouseAccessPolicy>.self),
        ("_AllOfOptionalPolicy", _AllOfOptionalPolicy<GatehouseAccessPolicy>.self, HummingbirdAuth._AllOfOptionalPolicy<GatehouseAccessPolicy>.self),
        ("_AnyOfOptionalPolicy", _AnyOfOptionalPolicy<GatehouseAccessPolicy>.self, HummingbirdAuth._AnyOfOptionalPolicy<GatehouseAccessPolicy>.self),
        ("AllOfBuilder", AllOfBuilder<User>.self, HummingbirdAuth.AllOfBuilder<User>.self),
        ("AnyOfBuilder", AnyOfBuilder<User>.self, HummingbirdAuth.AnyOfBuilder<User>.self),
        ("PermissionProviding", (any PermissionProviding).self, (any HummingbirdAuth.PermissionProviding).self),
        ("PermissionPolicy", PermissionPolicy<Roles>.self, HummingbirdAuth.PermissionPolicy<Roles>.self),
        ("RoleProviding", (any RoleProviding).self, (any HummingbirdAuth.RoleProviding).self),
        ("RolePolicy", RolePolicy<Roles>.self, HummingbirdAuth.RolePolicy<Roles>.self),
        ("BasicAuthentication", BasicAuthentication.self, HummingbirdAuth.BasicAuthentication.self),
        ("BearerAuthentication", BearerAuthentication.self, HummingbirdAuth.BearerAuthentication.self),
        ("IsAuthenticatedMiddleware", IsAuthenticatedMiddleware<AuthContext>.self, HummingbirdAuth.IsAuthenticatedMiddleware<AuthContext>.self),
        (
            "SessionAuthenticator",
            SessionAuthenticator<SessionContextType, Repository>.self,
            HummingbirdAuth.SessionAuthenticator<SessionContextType, Repository>.self
        ),
        ("SessionData", SessionData<Int64>.self, HummingbirdAuth.SessionData<Int64>.self),
        ("SessionContext", SessionContext<Int64>.self, HummingbirdAuth.SessionContext<Int64>.self),
        ("SessionRequestContext", (any SessionRequestContext<Int64>).self, (any HummingbirdAuth.SessionRequestContext<Int64>).self),
        ("BasicSessionRequestContext", SessionContextType.self, HummingbirdAuth.BasicSessionRequestContext<Int64, User>.self),
        ("SessionMiddlewareConfiguration", SessionMiddlewareConfiguration.self, HummingbirdAuth.SessionMiddlewareConfiguration.self),
        ("SessionMiddleware", SessionMiddleware<SessionContextType>.self, HummingbirdAuth.SessionMiddleware<SessionContextType>.self),
        ("SessionCookieParameters", SessionCookieParameters.self, HummingbirdAuth.SessionCookieParameters.self),
        ("SessionStorageConfiguration", SessionStorageConfiguration.self, HummingbirdAuth.SessionStorageConfiguration.self),
        ("SessionStorage", SessionStorage<Int64>.self, HummingbirdAuth.SessionStorage<Int64>.self),
        ("UserRepositoryContext", UserRepositoryContext.self, HummingbirdAuth.UserRepositoryContext.self),
        ("UserSessionRepository", (any UserSessionRepository<Int64, User>).self, (any HummingbirdAuth.UserSessionRepository<Int64, User>).self),
        ("UserSessionClosureRepository", Repository.self, HummingbirdAuth.UserSessionClosureRepository<Int64, User>.self),
        (
            "BasicAuthenticator",
            BasicAuthenticator<AuthContext, GatehouseUserPasswordRepository, GatehousePasswordVerifier>.self,
            HummingbirdBasicAuth.BasicAuthenticator<AuthContext, GatehouseUserPasswordRepository, GatehousePasswordVerifier>.self
        ),
        ("PasswordHashVerifier", (any PasswordHashVerifier).self, (any HummingbirdBasicAuth.PasswordHashVerifier).self),
        ("BcryptPasswordVerifier", BcryptPasswordVerifier.self, HummingbirdBasicAuth.BcryptPasswordVerifier.self),
        ("PasswordAuthenticatable", (any PasswordAuthenticatable).self, (any HummingbirdBasicAuth.PasswordAuthenticatable).self),
        ("UserPasswordRepository", (any UserPasswordRepository<User>).self, (any HummingbirdBasicAuth.UserPasswordRepository<User>).self),
        ("UserPasswordClosureRepository", UserPasswordClosureRepository<User>.self, HummingbirdBasicAuth.UserPasswordClosureRepository<User>.self),
        ("Bcrypt", Bcrypt.self, HummingbirdBcrypt.Bcrypt.self),
    ]

    /// A permission- and role-providing identity, for the generic policies.
    struct Roles: PermissionProviding, RoleProviding {
        var permissions: Set<String> = []
        var roles: Set<String> = []
    }

    @Test("each hummingbird-auth name, unqualified, is hummingbird-auth's type")
    func unqualifiedNamesAreHummingbirdAuths() {
        for (name, unqualified, qualified) in Self.named {
            #expect(ObjectIdentifier(unqualified) == ObjectIdentifier(qualified), "\(name)")
        }
    }

    @Test("no public type of Gatehouse's modules is named like one of hummingbird-auth's")
    func noSharedNames() throws {
        let root = Self.repositoryRoot
        let gatehouse = try Self.publicTypeNames(
            in: ["Gatehouse", "GatehouseSQL", "GatehousePostgres", "GatehouseHummingbird", "GatehouseGateway"].map {
                root.appending(components: "Sources", $0)
            }
        )
        #expect(gatehouse.count > 50, "the scan found Gatehouse's types")
        var hummingbirdAuth = Set(Self.named.map(\.0))
        hummingbirdAuth.formUnion([
            "HBAuthRequestContext", "Authenticatable", "HBBasicAuthRequestContext", "HBAuthenticatable", "HBAuthenticator",
            "HBSessionAuthenticator", "HBSessionStorage", "SessionUserRepository", "PasswordUserRepository", "BasicAuthenticatorUser",
        ])
        // hummingbird-auth's own sources, where SwiftPM checked them out: every public type there must be
        // in the lists above, so a release that adds one makes this test ask for it.
        if let checkout = Self.hummingbirdAuthCheckout {
            let published = try Self.publicTypeNames(
                in: ["HummingbirdAuth", "HummingbirdBasicAuth", "HummingbirdBcrypt"].map { checkout.appending(components: "Sources", $0) }
            )
            #expect(published.subtracting(hummingbirdAuth).isEmpty, "new in hummingbird-auth: \(published.subtracting(hummingbirdAuth).sorted())")
            hummingbirdAuth.formUnion(published)
        } else {
            print("note: hummingbird-auth's checkout was not found under .build*/checkouts; checked the names listed in this file only")
        }
        #expect(gatehouse.isDisjoint(with: hummingbirdAuth), "shared: \(gatehouse.intersection(hummingbirdAuth).sorted())")
    }

    static let repositoryRoot: URL = {
        var url = URL(filePath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `.build/checkouts/hummingbird-auth` or that of another scratch folder (`.build-NAME`).
    static var hummingbirdAuthCheckout: URL? {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.path)) ?? []
        for folder in [".build"] + folders.filter({ $0.hasPrefix(".build") }).sorted() {
            let candidate = repositoryRoot.appending(components: folder, "checkouts", "hummingbird-auth")
            if FileManager.default.fileExists(atPath: candidate.appending(components: "Sources", "HummingbirdAuth").path) { return candidate }
        }
        return nil
    }

    /// Names of the top-level `public` types (struct, enum, class, actor, protocol, typealias) in the
    /// Swift files under `directories`.
    static func publicTypeNames(in directories: [URL]) throws -> Set<String> {
        let declaration = try Regex(#"^(?:@\w+(?:\([^)]*\))?\s+)*public\s+(?:final\s+)?(?:struct|enum|class|actor|protocol|typealias)\s+(\w+)"#)
            .anchorsMatchLineEndings()
        var names = Set<String>()
        for directory in directories {
            guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in text.matches(of: declaration) {
                    if let name = match.output[1].substring { names.insert(String(name)) }
                }
            }
        }
        return names
    }
}
