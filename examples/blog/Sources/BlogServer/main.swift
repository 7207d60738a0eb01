import Blog
import Foundation
import Hummingbird

// `swift run` (in examples/blog): serves the blog on http://127.0.0.1:8080.
//   BLOG_SECRET_KEY    the SECRET_KEY that signs sessions (a development key otherwise)
//   BLOG_DATABASE      the SQLite file (./blog.sqlite3)
//   BLOG_PORT          the port (8080)
//   `swift run blog --demo` also creates two users to try it with (see README.md).
/// A message for whoever started the server, on standard error (unbuffered, also into a pipe or a
/// file, like the log lines).
func say(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

let environment = ProcessInfo.processInfo.environment
var configuration = BlogConfiguration()
if let key = environment["BLOG_SECRET_KEY"] {
    configuration.secretKey = key
} else {
    say("warning: BLOG_SECRET_KEY is not set; using a development key")
}
if let path = environment["BLOG_DATABASE"] { configuration.databasePath = path }
let host = "127.0.0.1"
let port = environment["BLOG_PORT"].flatMap(Int.init) ?? 8080

let blog = try await Blog.open(configuration)
if CommandLine.arguments.contains("--demo") {
    try await Demo.createUsers(in: blog)
}
let app = Application(
    router: try await blog.makeRouter(logRequests: configuration.logRequests),
    configuration: .init(address: .hostname(host, port: port)),
    onServerRunning: { _ in say("Blog listening on http://\(host):\(port)/ (log in at http://\(host):\(port)/accounts/login/)") }
)
do {
    try await app.runService()
} catch {
    try? await blog.shutdown()
    throw error
}
try await blog.shutdown()
