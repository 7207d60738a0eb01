import Gatehouse

/// "Authors edit their own posts": an object permission that no table holds, decided from the post
/// itself. Asked with a target (`blog.post` and a post id), it grants the post's author
/// `blog.change_post` on that post; global questions, other models and other users get nothing.
///
/// Gatehouse asks it after its own backends (model permissions, then per-object grants), so a user
/// may also edit a post through a grant made with `gatehouse permissions grant-object`.
public struct AuthorsEditOwnPosts: PermissionBackend {
    /// Where posts are found.
    public let posts: PostStore

    /// Creates the backend.
    public init(posts: PostStore) {
        self.posts = posts
    }

    /// `blog.change_post` on the author's own posts, for active users.
    public func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> {
        guard let target, target.appLabel == "blog", target.model == "post",
            account.isActive, let userID = account.userID,
            let id = Int64(target.objectID), let post = try await posts.post(id: id),
            post.authorID == userID
        else { return [] }
        return ["blog.change_post"]
    }
}
