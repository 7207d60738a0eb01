extension GatehouseTemplates {
    /// The sessions page, `registration/sessions`: the user's sessions (``UserSessionsRoutes``).
    ///
    /// Values: `title`, `sessions` (each with `shortID`, `id`, `created`, `lastSeen`, `address`,
    /// `userAgent`, `current`, `action`, `csrfToken`), `hasOthers`, `othersCount`, `signedCookies`
    /// (sessions cannot be ended here), `notice`, `action`, `csrfToken`, `profileURL`.
    static let sessionTemplates: [String: String] = [
        "registration/sessions": #"""
            {{> gatehouse/header}}
            <h1>Your sessions</h1>
            {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
            {{#signedCookies}}<p>This site keeps sessions in signed cookies, so they cannot be listed or ended one by one. Changing your password ends every other session.</p>{{/signedCookies}}
            <ul class="sessions">
            {{#sessions}}
            <li id="session-{{shortID}}">
            <strong>{{userAgent}}</strong>{{#current}} <em class="current">(this session)</em>{{/current}}<br>
            <small>Session {{shortID}} · from {{address}} · signed in {{created}} · last seen {{lastSeen}}</small>
            {{^current}}<form method="post" action="{{action}}">
            <input type="hidden" name="csrfmiddlewaretoken" value="{{csrfToken}}">
            <input type="hidden" name="session" value="{{id}}">
            <button type="submit">End this session</button>
            </form>{{/current}}
            </li>
            {{/sessions}}
            </ul>
            {{#hasOthers}}<form method="post" action="{{action}}">
            <input type="hidden" name="csrfmiddlewaretoken" value="{{csrfToken}}">
            <input type="hidden" name="all_others" value="1">
            <button type="submit">End all other sessions</button>
            </form>{{/hasOthers}}
            <p><a href="{{profileURL}}">Back to your account</a></p>
            {{> gatehouse/footer}}
            """#
    ]
}
