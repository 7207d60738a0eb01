/// The rows of docs/gateway.md's path table, run against the reverse proxy (through the real
/// binary) and against forward auth (in process): each path form, with the policy
/// ``PathModelCases/policy``, asked by an anonymous visitor.
public enum PathModelCases {
    /// What Gatehouse decides for an anonymous visitor.
    public enum Outcome: String, Sendable {
        /// Allowed: passed on (proxy 200 from the application, forward auth 200).
        case allowed
        /// The `/admin/` rule applies: log in first (proxy 302, forward auth 401).
        case loginRequired
        /// The `deny` rule applies (403).
        case forbidden
        /// Refused before any rule (400).
        case refused
    }

    /// A policy with a protected `/admin/`, a denied glob, and everything else public.
    public static let policy = """
        default: public
        rules:
          - path: /admin/
            require: superuser
          - path: /files/*/raw
            require: deny
        """

    /// (path as the client sends it, outcome, what it is).
    public static let rows: [(path: String, outcome: Outcome, note: String)] = [
        ("/admin/", .loginRequired, "the rule itself"),
        ("/admin", .loginRequired, "no trailing slash"),
        ("/admin/users/1", .loginRequired, "below the prefix"),
        ("/ADMIN/", .loginRequired, "another case"),
        ("/Admin/Users", .loginRequired, "mixed case below the prefix"),
        ("/%41DMIN/", .loginRequired, "an escaped letter"),
        ("/%61dmin/", .loginRequired, "an escaped lower-case letter"),
        ("//admin/", .loginRequired, "a doubled slash"),
        ("/public/../admin/", .refused, "a dot-dot segment (clients resolve them; Express routes on the raw path)"),
        ("/admin/../public/", .refused, "a dot-dot segment out of a rule"),
        ("/public/%2e%2e/admin/", .refused, "an escaped dot-dot segment"),
        ("/./admin/", .refused, "a dot segment"),
        ("/admin/#/../../public/", .refused, "a raw # (a URL parser starts a fragment there)"),
        ("/admin/x{/%2e%2e/%2e%2e/public/", .refused, "a raw { (a URL parser would escape every % again)"),
        ("/files/x/raw", .forbidden, "the glob itself"),
        ("/files/x/raw/", .forbidden, "the glob with a trailing slash"),
        ("/files/x/RAW", .forbidden, "the glob in another case"),
        ("/admin;x/", .refused, "a ;parameter (Tomcat reads /admin/)"),
        ("/public/..;/admin/", .refused, "..; (Tomcat and Spring read /admin/)"),
        ("/admin%3Bx/", .refused, "an escaped ;"),
        ("/admin./", .refused, "a trailing dot (IIS reads /admin/)"),
        ("/admin%20/", .refused, "a trailing space (IIS reads /admin/)"),
        ("/admin%2F", .refused, "an escaped slash"),
        ("/admin%5Cx", .refused, "an escaped backslash"),
        ("/admin%00", .refused, "an escaped NUL"),
        ("/admin%252F", .refused, "a double escape"),
        ("/%zz", .refused, "a malformed escape"),
        ("/%FF", .refused, "escapes that are not UTF-8"),
        ("/x%0Ay", .refused, "an escaped control character"),
        ("/public//../admin/", .refused, "// then .. (RFC 3986 and path.Clean disagree)"),
        ("/a%20b/x y", .refused, "a raw space"),
        ("/a%20b", .allowed, "an escaped space"),
        ("/caf%C3%A9", .allowed, "escaped UTF-8"),
        ("/user%40example.com", .allowed, "an escaped @"),
        ("/a%3Ab", .allowed, "an escaped :"),
        ("/a%2Bb", .allowed, "an escaped +"),
        ("/search?q=a%2Fb%00%25", .allowed, "escapes in the query"),
        ("/search?q={a|b}#x", .allowed, "raw {, | and } in the query (sent on escaped), a fragment (never sent on)"),
        ("/public/file.txt", .allowed, "a dot inside a segment"),
        ("/.well-known/x", .allowed, "a segment starting with a dot"),
        ("/administrator", .allowed, "a longer name is another path"),
    ]
}
