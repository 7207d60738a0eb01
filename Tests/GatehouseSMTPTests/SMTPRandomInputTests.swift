import Foundation
import Gatehouse
@testable import GatehouseSMTP
import NIOCore
import NIOEmbedded
import Testing

/// Random hostile input, many times over (seeded, so a failure repeats): the message formatter, the
/// reply parser and the email URL parser keep their promises whatever they are given.
@Suite struct SMTPRandomInputTests {
    /// A small deterministic generator (SplitMix64), so that a failing case can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces: [String] = [
        "a", "Z", "0", " ", "\t", ".", "..", "\r", "\n", "\r\n", "=", "=?utf-8?b?", "?=", "é", "日本", "👩‍👩‍👧", "\u{0}", "\u{7F}",
        "\u{85}", "\u{2028}", "<", ">", "@", ":", ",", "\"", "\\", "Bcc: x@example.com", "RCPT TO:<v@example.com>", "%", "%40", "%zz",
        "/", "?", "#", "&", "[", "]", "smtp://", "smtps://", String(repeating: "x", count: 120), String(repeating: "y", count: 1200),
    ]

    static func text(_ generator: inout SeededGenerator, maximumPieces: Int) -> String {
        let count = Int.random(in: 0...maximumPieces, using: &generator)
        return (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    @Test func renderedMessagesAreWellFormedAndDecodeToTheirBody() throws {
        var generator = SeededGenerator(state: 20_261_207)
        let formatter = SMTPMessageFormatter()
        var rendered = 0
        for _ in 0..<1500 {
            let body = Self.text(&generator, maximumPieces: 30)
            let subject = Self.text(&generator, maximumPieces: 6)
            let name = Self.text(&generator, maximumPieces: 3)
            let from = Bool.random(using: &generator) ? "\(name) <webmaster@example.com>" : "webmaster@example.com"
            let to = Bool.random(using: &generator) ? ["alice@example.com", Self.text(&generator, maximumPieces: 2) + "@example.com"] : ["bob@example.org"]
            let eightBit = Bool.random(using: &generator)
            let message = EmailMessage(from: from, to: to, subject: subject, body: body)
            let result: SMTPMessageFormatter.Rendered
            do {
                result = try formatter.render(message, eightBitMIME: eightBit)
            } catch {
                #expect(error == .invalidMessage)
                continue
            }
            rendered += 1
            try Self.check(result, body: body, eightBit: eightBit)
        }
        #expect(rendered > 300)
    }

    static func check(_ result: SMTPMessageFormatter.Rendered, body: String, eightBit: Bool) throws {
        let bytes = result.data
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { try #require(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"), "a bare LF") }
            if byte == UInt8(ascii: "\r") { try #require(index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"), "a bare CR") }
        }
        if !eightBit { #expect(bytes.allSatisfy { $0 < 0x80 }) }
        var lines = split(bytes)
        try #require(lines.last == [] && lines.dropLast().last == Array(".".utf8))
        lines.removeLast(2)
        // The end-of-data line appears nowhere else; every line fits SMTP.
        #expect(!lines.contains(Array(".".utf8)))
        #expect(lines.allSatisfy { $0.count <= 998 })
        // Headers: only Gatehouse's own, each once; continuation lines start with a space.
        let separator = try #require(lines.firstIndex(of: []))
        let names = lines[..<separator].filter { $0.first != UInt8(ascii: " ") }.map { line in
            String(decoding: line.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self)
        }
        #expect(names == ["Date", "Message-ID", "From", "To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"])
        // The body, un-stuffed and decoded, is the message's body with CRLF line breaks.
        let unstuffed = lines[(separator + 1)...].map { $0.first == UInt8(ascii: ".") ? Array($0.dropFirst()) : $0 }
        let header = String(decoding: Array(lines[..<separator].joined(separator: [13, 10])), as: UTF8.self)
        var decoded: [UInt8]
        if header.contains("Content-Transfer-Encoding: quoted-printable") {
            let text = String(decoding: Array(unstuffed.joined(separator: [13, 10])), as: UTF8.self)
            decoded = SMTPMessageFormatterTests.decodeQP(text)
        } else {
            decoded = Array(unstuffed.joined(separator: [13, 10]))
        }
        if !unstuffed.isEmpty { decoded += [13, 10] }
        var expected: [UInt8] = []
        for line in SMTPMessageFormatter.lines(of: body) { expected += line + [13, 10] }
        #expect(decoded == expected)
    }

    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                lines.append([])
                index += 2
            } else {
                lines[lines.count - 1].append(bytes[index])
                index += 1
            }
        }
        return lines
    }

    @Test func theReplyParserNeverCrashesAndEndsInAReplyOrAFailure() throws {
        var generator = SeededGenerator(state: 5321)
        let fragments: [String] = ["220", "250", "354", "5", "-", " ", "hello", "\r\n", "\n", "\r", "\u{0}", "999", "250-", "220 ok\r\n", "2"]
        for _ in 0..<500 {
            let channel = EmbeddedChannel()
            let handler = SMTPClientHandler()
            try channel.pipeline.syncOperations.addHandler(handler)
            let count = Int.random(in: 0...40, using: &generator)
            for _ in 0..<count {
                let chunk = (0..<Int.random(in: 1...4, using: &generator)).map { _ in fragments.randomElement(using: &generator)! }.joined()
                _ = try? channel.writeInbound(ByteBuffer(string: chunk))
            }
            let reply = handler.nextReply(timeout: .seconds(1), on: channel.eventLoop)
            channel.embeddedEventLoop.advanceTime(by: .seconds(2))
            var outcome: Result<SMTPReply, any Error>?
            reply.assumeIsolated().whenComplete { outcome = $0 }
            switch try #require(outcome) {
            case .success(let reply): #expect((200..<600).contains(reply.code))
            case .failure(let error): #expect(error is SMTPError)
            }
            _ = try? channel.finish()
        }
    }

    @Test func emailURLsParseOrFailPlainlyAndTheirDescriptionHidesThePassword() throws {
        var generator = SeededGenerator(state: 465)
        let schemes = ["smtp://", "smtps://", "smtp+starttls://", "console:", "SMTPS://", "http://", ""]
        var parsed = 0
        for _ in 0..<3000 {
            let password = "pw" + Self.text(&generator, maximumPieces: 2)
            let user = Bool.random(using: &generator) ? "u" + Self.text(&generator, maximumPieces: 1) + ":" + password + "@" : ""
            let host = ["mail.example.com", "127.0.0.1", "[::1]", Self.text(&generator, maximumPieces: 2)].randomElement(using: &generator)!
            let port = Bool.random(using: &generator) ? ":" + String(Int.random(in: -1...70_000, using: &generator)) : ""
            let query = Bool.random(using: &generator) ? "?" + Self.text(&generator, maximumPieces: 3) : ""
            let text = schemes.randomElement(using: &generator)! + user + host + port + query
            do {
                let url = try EmailURL(text)
                parsed += 1
                guard let smtp = url.smtp else { continue }
                let description = url.description
                if smtp.credentials != nil {
                    #expect(description.contains(":***@"))
                }
                // The description reads back as the same server (with allow_insecure_auth for smtp:// with credentials).
                let again = try EmailURL(description.replacingOccurrences(of: ":***@", with: ":x@") + (smtp.allowsInsecureAuthentication ? "?allow_insecure_auth=true" : ""))
                #expect(again.smtp?.host == smtp.host)
                #expect(again.smtp?.port == smtp.port)
                #expect(again.smtp?.security == smtp.security)
                #expect(again.smtp?.credentials?.username == smtp.credentials?.username)
            } catch {
                #expect(error == .invalidConfiguration)
                if user.contains(password), password.count > 4 {
                    #expect(!"\(error)".contains(password))
                }
            }
        }
        #expect(parsed > 100)
    }
}
