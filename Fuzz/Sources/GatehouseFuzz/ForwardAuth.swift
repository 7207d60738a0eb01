import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import HTTPTypes
import Hummingbird
import NIOEmbedded
import Logging

/// The forward-auth endpoint itself, in process (the router's responder, no sockets): each
/// input line is one header, its first byte picking the name (`X-Original-URI`, `X-Original-Method`,
/// `X-Forwarded-Uri`, `X-Forwarded-Method`, `Cookie`, `Accept`, or `?redirect=1` on the endpoint)
/// and the rest its value. The answer must be 200, 302, 400, 401 or 403, and a `Location` the login
/// page.
enum ForwardAuthTarget {
    struct Job: Sendable {
        var headers: HTTPFields
        var uri: String
        var done: DispatchSemaphore
    }

    static let names = ["X-Original-URI", "X-Original-Method", "X-Forwarded-Uri", "X-Forwarded-Method", "Cookie", "Accept"]
        .map { HTTPField.Name($0)! }

    static func run(_ data: [UInt8]) {
        var job = Job(headers: [:], uri: "/_gatehouse/auth", done: DispatchSemaphore(value: 0))
        for line in data.split(separator: UInt8(ascii: "\n")) {
            let index = Int(line[line.startIndex] % 7)
            if index == names.count { job.uri = "/_gatehouse/auth?redirect=1"; continue }
            job.headers.append(HTTPField(name: names[index], lenientValue: line.dropFirst()))
        }
        jobs.yield(job)
        job.done.wait()
    }

    static let jobs: AsyncStream<Job>.Continuation = {
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        Task { try await serve(stream) }
        return continuation
    }()

    static func serve(_ stream: AsyncStream<Job>) async throws {
        let quiet = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
        let store = MemoryAuthStore()
        let builder = GatehouseRouterBuilder(
            users: store, sessions: MemorySessionStore(), keys: SigningTarget.keys,
            hashers: PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1), logger: quiet)
        )
        let router = Router(context: GatehouseRequestContext.self)
        builder.install(on: router, logRequests: false)
        ForwardAuthRoute<GatehouseRequestContext>(policy: try GatewayPolicy(yaml: policy), checker: try builder.permissionChecker, groups: store)
            .add(to: router)
        // The router's responder, called as Hummingbird's router test client does, but on one
        // channel for every request (a channel per request, as the test client makes, is never freed).
        let responder = router.buildResponder()
        let channel = NIOAsyncTestingChannel()
        for await job in stream {
            let request = Request(
                head: HTTPRequest(method: .get, scheme: "http", authority: "testserver", path: job.uri, headerFields: job.headers),
                body: RequestBody(buffer: .init())
            )
            let context = GatehouseRequestContext(source: .init(channel: channel, logger: quiet))
            let status: HTTPResponse.Status
            do {
                let response = try await responder.respond(to: request, context: context)
                status = response.status
                if let location = response.headers[.location] {
                    precondition(location.hasPrefix("/accounts/login/?next=/"), "Location is not the login page: \(location)")
                }
            } catch let error as any HTTPResponseError {
                status = error.status  // what the server would answer
            }
            precondition([200, 302, 400, 401, 403].contains(status.code), "forward auth answered \(status)")
            job.done.signal()
        }
    }

    static let policy = """
        rules:
          - path: /static/
            require: public
          - path: /secret/
            require:
              permissions: [refapp.view_secret]
          - path: /reports/
            methods: [GET, HEAD]
            require:
              any_permissions: [reports.view, reports.admin]
          - path: /reports/*/pdf
            require:
              permissions: [reports.admin]
          - path: /staff/
            require: staff
          - path: /team/**/edit
            methods: [POST]
            require:
              groups: [editors, admins]
        """
}
