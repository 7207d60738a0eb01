import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@Suite("Hardening: escaping, security headers, Host, HEAD, connection timeouts")
struct HardeningTests {
    static let marks: [Character] = ["\"", "'", "<", ">", "&"]

    @Test func escapingWorksOnBytesNotOnGraphemeClusters() {
        for mark in Self.marks {
            for combining in ["\u{338}", "\u{301}", "\u{20DD}", "\u{200D}"] {
                let text = "x\(mark)\(combining) onclick=alert(1)"
                let escaped = HTMLEscaping.escape(text)
                #expect(!escaped.unicodeScalars.contains { "\"'<>".unicodeScalars.contains($0) }, "\(text.debugDescription)")
                #expect(escaped.contains(combining), "the combining mark itself is kept")
            }
        }
        #expect(HTMLEscaping.escape("plain café") == "plain café")
        #expect(HTMLEscaping.escape("a&b") == "a&amp;b")
    }

    @Test func templatesEscapeByBytesBuiltInAndOverridden() throws {
        var templates = GatehouseTemplates()
        let hostile = "x\"\u{338} onclick=alert(1) '\u{301}<\u{338}script>"
        let page = try #require(templates.render("registration/login", ["title": "Log in", "next": hostile]))
        let quote = "\"\u{338}", tag = "<\u{338}script", escaped = "&quot;\u{338} onclick"
        #expect(!page.contains(quote), "no quote may end the attribute")
        #expect(!page.contains(tag))
        #expect(page.contains(escaped))
        try templates.override("registration/login", with: #"<input value="{{next}}">"#)
        let overridden = try #require(templates.render("registration/login", ["next": hostile]))
        #expect(overridden.utf8.starts(with: #"<input value="x&quot;"#.utf8), "\(overridden)")
        #expect(overridden.unicodeScalars.filter { $0 == "\"" }.count == 2, "only the attribute's own quotes: \(overridden)")
    }

    @Test func theLoginPageEscapesAHostileNext() async throws {
        let builder = GatehouseRouterBuilder(
            users: MemoryAuthStore(), sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "hardening-secret-0123456789abcdefghijklmn")
        )
        try await Application(router: builder.makeRouter(logRequests: false)).test(.router) { client in
            let response = try await client.execute(uri: "/accounts/login/?next=x%22%CC%B8%20onclick%3Dalert(1)", method: .get)
            let body = String(buffer: response.body)
            #expect(response.status == .ok)
            let raw = "\"\u{338} onclick", escaped = "x&quot;\u{338} onclick=alert(1)"
            #expect(!body.contains(raw), "\(body)")
            #expect(body.contains(escaped))
        }
    }

    @Test func everyGatehouseResponseCarriesTheSecurityHeaders() async throws {
        var builder = GatehouseRouterBuilder(
            users: MemoryAuthStore(), sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "hardening-secret-0123456789abcdefghijklmn")
        )
        builder.securityHeaders.strictTransportSecuritySeconds = 31_536_000
        let router = builder.makeRouter(logRequests: false)
        router.get("/guarded") { _, context -> String in
            guard context.identity != nil else { throw AccessDenied.loginRequired(context.gatehouse.accessPolicy) }
            return "secret"
        }
        router.get("/upstream") { _, _ -> Response in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Gatehouse-Upstream-Response")!] = "1"
            headers[HTTPField.Name("X-Frame-Options")!] = "SAMEORIGIN"
            return Response(status: .ok, headers: headers)
        }
        try await Application(router: router).test(.router) { client in
            for (uri, status) in [("/accounts/login/", HTTPResponse.Status.ok), ("/guarded", .found), ("/missing", .notFound)] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] == "same-origin")
                #expect(response.headers[.strictTransportSecurity] == "max-age=31536000")
            }
            let api = try await client.execute(uri: "/guarded", method: .get, headers: [.accept: "application/json"])
            #expect(api.status == .unauthorized && api.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "thrown errors too")
            let upstream = try await client.execute(uri: "/upstream", method: .get)
            #expect(upstream.headers[HTTPField.Name("X-Frame-Options")!] == "SAMEORIGIN", "the application's own headers stay")
            #expect(upstream.headers[.contentSecurityPolicy] == nil && upstream.headers[.strictTransportSecurity] == nil)
            #expect(upstream.headers[HTTPField.Name("X-Gatehouse-Upstream-Response")!] == nil, "the marker never leaves")
        }
    }

    @Test func oneHostHeaderExactlyAndHEADOnTheAccountPages() async throws {
        let builder = GatehouseRouterBuilder(
            users: MemoryAuthStore(), sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "hardening-secret-0123456789abcdefghijklmn")
        )
        try await Application(router: builder.makeRouter(logRequests: false)).test(.router) { client in
            #expect(try await client.execute(uri: "/accounts/login/", method: .get, headers: [HTTPField.Name("Host")!: "evil.example"]).status == .badRequest)
            let head = try await client.execute(uri: "/accounts/login/", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await client.execute(uri: "/accounts/profile/", method: .head).status == .found)
        }
    }

    // The connection-level handlers, on an embedded channel whose clock the test moves.
    static func channel(_ timeouts: ConnectionTimeouts) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ConnectionTimeoutsHandler(timeouts: timeouts))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static let timeouts = ConnectionTimeouts(header: .seconds(60), idle: .seconds(75), body: .seconds(30), send: .seconds(20))

    @Test func aConnectionThatSendsNoRequestIsClosedAtTheHeaderDeadline() throws {
        let channel = try Self.channel(Self.timeouts)
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func bodiesAndIdleKeepAliveHaveTheirOwnDeadlines() throws {
        let channel = try Self.channel(Self.timeouts)
        let head = HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/")
        try channel.writeInbound(HTTPRequestPart.head(head))
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "a")))
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive, "each part of the body restarts the body deadline")
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive, "while the server works on the response nothing is timed")
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(74))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive, "idle keep-alive connections close after 75 s")
    }

    @Test func aResponseBeforeTheEndOfItsUploadLingersThenCloses() throws {
        // Silence after the early answer: closed after the lingering timeout.
        let quiet = try Self.channel(Self.timeouts)
        try quiet.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/")))
        try quiet.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "part of a large upload")))
        try quiet.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .forbidden)))
        try quiet.writeOutbound(HTTPResponsePart.end(nil))
        quiet.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(quiet.isActive, "the client has a moment to read the answer")
        quiet.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!quiet.isActive)
        // A client that keeps sending: closed once 4 MiB more have been discarded.
        let flood = try Self.channel(Self.timeouts)
        try flood.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/")))
        try flood.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .contentTooLarge)))
        try flood.writeOutbound(HTTPResponsePart.end(nil))
        for _ in 0..<4 { try flood.writeInbound(HTTPRequestPart.body(ByteBuffer(repeating: 0, count: 1024 * 1024))) }
        #expect(flood.isActive)
        _ = try? flood.writeInbound(HTTPRequestPart.body(ByteBuffer(repeating: 0, count: 1)))
        #expect(!flood.isActive, "the upload is not read to its end")
        // A client that stops at once: the connection is kept for the next request.
        let polite = try Self.channel(Self.timeouts)
        try polite.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/")))
        try polite.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .found)))
        try polite.writeOutbound(HTTPResponsePart.end(nil))
        try polite.writeInbound(HTTPRequestPart.end(nil))
        polite.embeddedEventLoop.advanceTime(by: .seconds(70))
        #expect(polite.isActive, "kept alive like any other")
    }

    @Test func aStalledBodyIsClosedAtTheBodyDeadline() throws {
        let channel = try Self.channel(Self.timeouts)
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/")))
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(!channel.isActive)
    }

    @Test func aClientThatDoesNotReadIsClosedAtTheSendDeadline() throws {
        let channel = try Self.channel(Self.timeouts)
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/big")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        channel.isWritable = false  // the client stopped reading: the socket's buffer is full
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(19))
        #expect(channel.isActive)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive, "reading again stops the clock")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        #expect(!channel.isActive, "20 s without reading: closed")
    }

    @Test func expectContinueIsAnsweredAtOnce() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ExpectContinueHandler())
        var head = HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/")
        head.headerFields[.expect] = "100-continue"
        try channel.writeInbound(HTTPRequestPart.head(head))
        let interim = try channel.readOutbound(as: HTTPResponsePart.self)
        guard case .head(let response) = interim else {
            Issue.record("no interim response: \(String(describing: interim))")
            return
        }
        #expect(response.status == .continue)
        #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil, "the request goes on")
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/")))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil, "nothing without Expect")
    }
}
