import Gatehouse
public import Mustache
public import NIOCore

/// The pages Gatehouse renders, as a Mustache library an application can override by name.
///
/// Names: `registration/login`, `registration/logged_out`, `registration/profile`,
/// `registration/password_change_form`, `registration/password_change_done`, `registration/sessions`,
/// `registration/password_reset_form`, `registration/password_reset_done`,
/// `registration/password_reset_confirm`, `registration/password_reset_complete`, `gatehouse/403`, `gatehouse/404`,
/// and the partials `gatehouse/header` and `gatehouse/footer` they share (a small stylesheet lives in
/// the header). The password reset email is two plain-text templates (no HTML escaping),
/// `registration/password_reset_subject` (one line: line breaks are removed) and
/// `registration/password_reset_email`. Register a template with the same name to replace one.
///
/// ```swift
/// var templates = GatehouseTemplates()
/// try templates.override("registration/login", with: "<form method=post>...</form>")
/// ```
public struct GatehouseTemplates: Sendable {
    /// The library pages are rendered from.
    public private(set) var library: MustacheLibrary
    /// Pages already rendered from text values alone (the 403 page), by template and values;
    /// replaced whenever a template is overridden.
    private var memo = BoundedMemo<String, ByteBuffer>(limit: 64)

    /// The built-in templates (parsed once per process; copies share them until overridden).
    public init() {
        self.library = Self.builtInLibrary
    }

    private static let builtInLibrary: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, source) in builtIn.merging(sessionTemplates, uniquingKeysWith: { first, _ in first }) {
            // The built-in templates are constant and parse; a failure here is a programming error.
            try? library.register(pragma(for: name) + source, named: name)
        }
        return library
    }()

    /// Replaces (or adds) the template `name`.
    public mutating func override(_ name: String, with source: String) throws {
        try library.register(Self.pragma(for: name) + source, named: name)
        memo = BoundedMemo(limit: 64)
    }

    /// The templates that are plain text (email), rendered without HTML escaping.
    static let textTemplates: Set<String> = ["registration/password_reset_subject", "registration/password_reset_email"]

    /// The content type `name` is rendered with: plain text for ``textTemplates``, HTML otherwise.
    static func pragma(for name: String) -> String {
        textTemplates.contains(name) ? "{{%CONTENT_TYPE:TEXT}}" : GatehouseHTMLContentType.pragma
    }

    /// Renders `name` with text `values`, remembering the page: for pages that depend on nothing
    /// else, such as the 403 page, which a denied request would otherwise render every time.
    ///
    /// ```swift
    /// let body = templates.renderRemembered("gatehouse/403", ["title": "Forbidden", "message": message])
    /// ```
    public func renderRemembered(_ name: String, _ values: [String: String]) -> ByteBuffer? {
        let key = ([name] + values.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }).joined(separator: "\u{0}")
        if let page = memo.value(for: key) { return page }
        guard let page = library.render(values, withTemplate: name) else { return nil }
        let buffer = ByteBuffer(string: page)
        memo.store(buffer, for: key)
        return buffer
    }

    /// Renders `name` with `values`; `nil` when no such template exists.
    public func render(_ name: String, _ values: [String: Any]) -> String? {
        library.render(values, withTemplate: name)
    }

    static let builtIn: [String: String] = [
        "gatehouse/header": #"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <link rel="icon" href="data:,">
            <style>
            :root{color-scheme:light dark}
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:0 1rem;background:#f5f6f8;color:#1d2330}
            a{color:#3b6ef5}
            main>:last-child{margin-bottom:0}
            main{max-width:24rem;margin:8vh auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
            h1{font-size:1.35rem;margin:0 0 1.25rem}
            label{display:block;font-weight:600;margin:.9rem 0 .3rem}
            input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:.6rem .7rem;border:1px solid #c8ccd4;border-radius:8px;font-size:1rem}
            input:focus{outline:2px solid #3b6ef5;border-color:#3b6ef5}
            button{margin-top:1.25rem;width:100%;padding:.7rem;border:0;border-radius:8px;background:#3b6ef5;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
            button:hover{background:#2f5bd0}
            .errors{background:#fdecec;color:#9b1c1c;border-radius:8px;padding:.6rem .8rem;margin:0 0 1rem;list-style:none}
            .help{font-size:.85rem;color:#5b6270;margin:.4rem 0 0;padding-left:1.1rem}
            .field-error{color:#9b1c1c;font-size:.9rem;margin:.3rem 0 0}
            dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{font-weight:600}dd{margin:0}
            @media (prefers-color-scheme:dark){body{background:#15181e;color:#e6e8ec}main{background:#1f232b}input[type=text],input[type=password],input[type=email]{background:#15181e;color:#e6e8ec;border-color:#3a404c}a{color:#8ab4ff}.errors{background:#3a1d1d;color:#f3b4b4}.field-error{color:#f3b4b4}}
            </style>
            </head>
            <body>
            <main>
            """#,
        "gatehouse/footer": #"""
            </main>
            </body>
            </html>
            """#,
        "registration/login": #"""
            {{> gatehouse/header}}
            <h1>Log in</h1>
            {{#hasNonFieldErrors}}<ul class="errors" role="alert">{{#nonFieldErrors}}<li>{{.}}</li>{{/nonFieldErrors}}</ul>{{/hasNonFieldErrors}}
            <form method="post" action="{{action}}">
            <input type="hidden" name="csrfmiddlewaretoken" value="{{csrfToken}}">
            <input type="hidden" name="next" value="{{next}}">
            <label for="id_username">Username</label>
            <input type="text" name="username" id="id_username" value="{{username}}" maxlength="150" autocapitalize="none" autocomplete="username" autofocus required>
            {{#usernameErrors}}<p class="field-error">{{.}}</p>{{/usernameErrors}}
            <label for="id_password">Password</label>
            <input type="password" name="password" id="id_password" autocomplete="current-password" required>
            {{#passwordErrors}}<p class="field-error">{{.}}</p>{{/passwordErrors}}
            <button type="submit">Log in</button>
            </form>
            {{#passwordResetURL}}<p><a href="{{passwordResetURL}}">Forgotten your password?</a></p>{{/passwordResetURL}}
            {{> gatehouse/footer}}
            """#,
        "registration/logged_out": #"""
            {{> gatehouse/header}}
            <h1>Logged out</h1>
            <p>Thanks for spending some quality time with the site today.</p>
            <p><a href="{{loginURL}}">Log in again</a></p>
            {{> gatehouse/footer}}
            """#,
        "registration/profile": #"""
            {{> gatehouse/header}}
            <h1>Your account</h1>
            <dl>
            <dt>Username</dt><dd id="username">{{username}}</dd>
            {{#fullName}}<dt>Name</dt><dd>{{fullName}}</dd>{{/fullName}}
            {{#email}}<dt>Email</dt><dd>{{email}}</dd>{{/email}}
            <dt>Staff</dt><dd>{{staff}}</dd>
            <dt>Superuser</dt><dd>{{superuser}}</dd>
            </dl>
            <p><a href="{{passwordChangeURL}}">Change password</a>{{#sessionsURL}} · <a href="{{sessionsURL}}">Your sessions</a>{{/sessionsURL}}</p>
            <form method="post" action="{{logoutURL}}">
            <input type="hidden" name="csrfmiddlewaretoken" value="{{csrfToken}}">
            <button type="submit">Log out</button>
            </form>
            {{> gatehouse/footer}}
            """#,
        "gatehouse/403": #"""
            {{> gatehouse/header}}
            <h1>Forbidden</h1>
            <p>{{message}}</p>
            <p><a href="/">Home</a>{{#loginPath}} · <a href="{{loginPath}}">Log in as someone else</a>{{/loginPath}}</p>
            {{> gatehouse/footer}}
            """#,
        "registration/password_change_form": #"""
            {{> gatehouse/header}}
            <h1>Password change</h1>
            {{#hasNonFieldErrors}}<ul class="errors" role="alert">{{#nonFieldErrors}}<li>{{.}}</li>{{/nonFieldErrors}}</ul>{{/hasNonFieldErrors}}
            <p>Please enter your old password, for security’s sake, and then enter your new password twice so we can verify you typed it in correctly.</p>
            <form method="post" action="{{action}}">
            <input type="hidden" name="csrfmiddlewaretoken" value="{{csrfToken}}">
            <label for="id_old_password">Old password</label>
            <input type="password" name="old_password" id="id_old_password" autocomplete="current-password" autofocus required>
            {{#oldPasswordErrors}}<p class="field-error">{{.}}</p>{{/oldPasswordErrors}}
            <label for="id_new_password1">New password</label>
            <input type="password" name="new_password1" id="id_new_password1" autocomplete="new-password" required>
            {{#newPassword1Errors}}<p class="field-error">{{.}}</p>{{/newPassword1Errors}}
            <ul class="help">{{#helpTexts}}<li>{{.}}</li>{{/helpTexts}}</ul>
            <label for="id_new_password2">New password confirmation</label>
            <input type="password" name="new_password2" id="id_new_password2" autocomplete="new-password" required>
            {{#newPassword2Errors}}<p class="field-error">{{.}}</p>{{/newPassword2Errors}}
            <button type="submit">Change my password</button>
            </form>
            <p><a href="{{profileURL}}">Back to your account</a></p>
            {{> gatehouse/footer}}
            """#,
        "registration/password_change_done": #"""
            {{> gatehouse/header}}
            <h1>Password change successful</h1>
            <p>Your password was changed.</p>
            <p><a href="{{profileURL}}">Back to your account</a></p>
            {{> gatehouse/footer}}
            """#,
        "registration/password_reset_form": #"""
            {{> gatehouse/header}}
            <h1>Password reset</h1>
            <p>Forgotten your password? Enter your email address below, and we’ll email instructions for setting a new one.</p>
            <form method="post" action="{{action}}">
            <input type="hidden" name="csrfmiddlewaretoken" value="{{csrfToken}}">
            <label for="id_email">Email address</label>
            <input type="email" name="email" id="id_email" value="{{email}}" maxlength="254" autocomplete="email" autofocus required>
            {{#emailErrors}}<p class="field-error">{{.}}</p>{{/emailErrors}}
            <button type="submit">Reset my password</button>
            </form>
            <p><a href="{{loginURL}}">Back to log in</a></p>
            {{> gatehouse/footer}}
            """#,
        "registration/password_reset_done": #"""
            {{> gatehouse/header}}
            <h1>Password reset sent</h1>
            <p>We’ve emailed you instructions for setting your password, if an account exists with the email you entered. You should receive them shortly.</p>
            <p>If you don’t receive an email, please make sure you’ve entered the address you registered with, and check your spam folder.</p>
            <p><a href="{{loginURL}}">Back to log in</a></p>
            {{> gatehouse/footer}}
            """#,
        "registration/password_reset_confirm": #"""
            {{> gatehouse/header}}
            {{#validlink}}
            <h1>Enter new password</h1>
            <p>Please enter your new password twice so we can verify you typed it in correctly.</p>
            <form method="post" action="{{action}}">
            <input type="hidden" name="csrfmiddlewaretoken" value="{{csrfToken}}">
            <input type="text" name="username" value="{{username}}" autocomplete="username" hidden>
            <label for="id_new_password1">New password</label>
            <input type="password" name="new_password1" id="id_new_password1" autocomplete="new-password" autofocus required>
            {{#newPassword1Errors}}<p class="field-error">{{.}}</p>{{/newPassword1Errors}}
            <ul class="help">{{#helpTexts}}<li>{{.}}</li>{{/helpTexts}}</ul>
            <label for="id_new_password2">Confirm password</label>
            <input type="password" name="new_password2" id="id_new_password2" autocomplete="new-password" required>
            {{#newPassword2Errors}}<p class="field-error">{{.}}</p>{{/newPassword2Errors}}
            <button type="submit">Change my password</button>
            </form>
            {{/validlink}}
            {{^validlink}}
            <h1>Password reset unsuccessful</h1>
            <p>The password reset link was invalid, possibly because it has already been used.  Please request a new password reset.</p>
            <p><a href="{{passwordResetURL}}">Request a new link</a></p>
            {{/validlink}}
            {{> gatehouse/footer}}
            """#,
        "registration/password_reset_complete": #"""
            {{> gatehouse/header}}
            <h1>Password reset complete</h1>
            <p>Your password has been set.  You may go ahead and log in now.</p>
            <p><a href="{{loginURL}}">Log in</a></p>
            {{> gatehouse/footer}}
            """#,
        "registration/password_reset_subject": #"""
            Password reset on {{siteName}}
            """#,
        "registration/password_reset_email": #"""
            You asked for a password reset for your user account at {{siteName}}, or somebody did with your address.

            To choose a new password, open this page:

            {{resetURL}}

            Your username, in case you have forgotten it: {{username}}

            If you did not ask for this, ignore this message: your password stays as it is.

            The {{siteName}} team

            """#,
        "gatehouse/404": #"""
            {{> gatehouse/header}}
            <h1>Not Found</h1>
            <p>{{message}}</p>
            <p><a href="/">Home</a>{{#loginPath}} · <a href="{{loginPath}}">Log in</a>{{/loginPath}}</p>
            {{> gatehouse/footer}}
            """#,
    ]
}
