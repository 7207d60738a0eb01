import Foundation
import Gatehouse
import GatehouseSQL

/// Users to try the blog with, made by `swift run blog --demo` when they do not exist yet.
public enum Demo {
    /// The demo users' password.
    public static let password = "correct horse battery staple"

    /// `alice` may write posts and read the API; `bob` may write posts. Each edits only their own.
    public static func createUsers(in blog: Blog) async throws {
        let users: [(String, [String])] = [
            ("alice", ["blog.add_post", "blog.view_post"]),
            ("bob", ["blog.add_post"]),
        ]
        for (username, permissions) in users where try await blog.store.user(username: username) == nil {
            try await blog.createUser(username: username, password: password, permissions: permissions)
            let message = "created \(username) with \(permissions.joined(separator: ", ")), password \"\(password)\"\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
    }
}
