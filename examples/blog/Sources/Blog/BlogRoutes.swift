import Gatehouse
import GatehouseHummingbird
import Hummingbird

/// The blog's own routes.
///
/// | path | who |
/// | --- | --- |
/// | `GET /`, `GET /posts/:id` | anyone |
/// | `GET, POST /posts/new` | users with `blog.add_post` |
/// | `GET, POST /posts/:id/edit` | users with `blog.change_post` on that post: its author (``AuthorsEditOwnPosts``), or a per-object grant |
/// | `GET /api/posts` | users with `blog.view_post`: 401 (anonymous) and 403 answers in JSON |
struct BlogRoutes: Sendable {
    let posts: PostStore
    let permissions: PermissionChecker
    let pages: Pages

    typealias Context = GatehouseRequestContext

    /// The fields of the post form (its CSRF token field is read by Gatehouse's middleware).
    struct PostForm: Decodable {
        var title: String
        var body: String
    }

    func add(to router: Router<Context>) {
        router.get("/", use: index)
        router.get("/posts/:id", use: show)

        // Writing needs a global permission: anonymous browsers go to log in, others get 403.
        router.group("/posts/new")
            .add(middleware: PermissionRequired(["blog.add_post"], checker: permissions))
            .get(use: newPost)
            .post(use: createPost)

        // Editing needs `blog.change_post` on this very post; an unknown post is a 404.
        router.group("/posts/:id/edit")
            .add(middleware: ObjectPermissionRequired("blog.change_post", checker: permissions) { _, context in
                guard let id = context.parameters.get("id", as: Int64.self), try await posts.post(id: id) != nil else { return nil }
                return PermissionTarget(appLabel: "blog", model: "post", objectID: String(id))
            })
            .get(use: editPost)
            .post(use: updatePost)

        // The JSON API: the same guards; Gatehouse answers API clients (`Accept: application/json`
        // or an `Authorization` header) with 401 and 403 in JSON instead of a redirect or a page.
        router.group("/api/posts")
            .add(middleware: PermissionRequired(["blog.view_post"], checker: permissions))
            .get { _, _ in try await posts.all() }
    }

    @Sendable func index(_ request: Request, context: Context) async throws -> HTMLPage {
        let all = try await posts.all()
        return try pages.render("index", values(context, [
            "canWrite": try await permissions.hasPermission(context.account, "blog.add_post"),
            "posts": all.map { ["id": $0.id, "title": $0.title] },
        ]))
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> HTMLPage {
        let post = try await requirePost(context)
        let target = PermissionTarget(appLabel: "blog", model: "post", objectID: String(post.id))
        return try pages.render("post", values(context, [
            "post": ["id": post.id, "title": post.title, "body": post.body],
            "canEdit": try await permissions.hasPermission(context.account, "blog.change_post", on: target),
        ]))
    }

    @Sendable func newPost(_ request: Request, context: Context) async throws -> HTMLPage {
        try pages.render("editor", values(context, ["action": "/posts/new"]))
    }

    @Sendable func createPost(_ request: Request, context: Context) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(PostForm.self, from: request, context: context)
        guard let author = context.identity else { throw HTTPError(.unauthorized) }
        let post = try await posts.insert(title: form.title, body: form.body, authorID: author.id)
        return .redirect(to: "/posts/\(post.id)", type: .found)
    }

    @Sendable func editPost(_ request: Request, context: Context) async throws -> HTMLPage {
        let post = try await requirePost(context)
        return try pages.render("editor", values(context, [
            "action": "/posts/\(post.id)/edit",
            "post": ["title": post.title, "body": post.body],
        ]))
    }

    @Sendable func updatePost(_ request: Request, context: Context) async throws -> Response {
        var post = try await requirePost(context)
        let form = try await URLEncodedFormDecoder().decode(PostForm.self, from: request, context: context)
        post.title = form.title
        post.body = form.body
        try await posts.update(post)
        return .redirect(to: "/posts/\(post.id)", type: .found)
    }

    func requirePost(_ context: Context) async throws -> Post {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let post = try await posts.post(id: id) else { throw HTTPError(.notFound) }
        return post
    }

    /// What every page shows: the user and, for the forms (logout, the editor), a masked CSRF token
    /// for the `csrfmiddlewaretoken` field, which Gatehouse's CSRF middleware checks on POST.
    func values(_ context: Context, _ page: [String: Any]) -> [String: Any] {
        var values = page
        if let user = context.identity {
            values["user"] = user.username
            values["csrfToken"] = context.gatehouse.csrf?.token() ?? ""
        }
        return values
    }
}
