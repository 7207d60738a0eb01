import Foundation
import Gatehouse
@testable import GatehouseSMTP
import Testing

@Suite struct SMTPMessageFormatterTests {
    let formatter = SMTPMessageFormatter()

    func text(_ rendered: SMTPMessageFormatter.Rendered) -> String {
        String(decoding: rendered.data, as: UTF8.self)
    }

    @Test func everyLineEndsInCRLFAndTheMessageEndsWithTheDotLine() throws {
        let rendered = try formatter.render(
            EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "s", body: "one\ntwo\r\nthree\rfour"), eightBitMIME: false)
        let text = text(rendered)
        #expect(text.hasSuffix("\r\none\r\ntwo\r\nthree\r\nfour\r\n.\r\n"))
        // No bare CR or LF anywhere.
        let bytes = rendered.data
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r")) }
            if byte == UInt8(ascii: "\r") { #expect(index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")) }
        }
        #expect(!rendered.eightBit)
        #expect(text.contains("Content-Transfer-Encoding: 7bit\r\n"))
    }

    @Test func linesStartingWithADotAreDoubled() throws {
        let rendered = try formatter.render(
            EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "s", body: ".\n..x\n.y\nz."), eightBitMIME: true)
        #expect(text(rendered).hasSuffix("\r\n\r\n..\r\n...x\r\n..y\r\nz.\r\n.\r\n"))
    }

    @Test func theHeadersAreThereInOrder() throws {
        let rendered = try formatter.render(
            EmailMessage(from: "Site <webmaster@example.com>", to: ["b@example.com", "c@example.com"], subject: "Hello", body: "x"),
            eightBitMIME: true, date: Date(timeIntervalSince1970: 0))
        let header = text(rendered).components(separatedBy: "\r\n\r\n")[0]
        let names = header.components(separatedBy: "\r\n").filter { !$0.hasPrefix(" ") }.map { $0.components(separatedBy: ":")[0] }
        #expect(names == ["Date", "Message-ID", "From", "To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"])
        #expect(header.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(header.contains("From: \"Site\" <webmaster@example.com>"))
        #expect(header.contains("To: b@example.com,\r\n c@example.com"))
        #expect(header.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(rendered.sender == "webmaster@example.com")
        #expect(rendered.recipients == ["b@example.com", "c@example.com"])
    }

    @Test func eightBitOnlyWhenOfferedOtherwiseQuotedPrintable() throws {
        let message = EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "s", body: "Grüße =\nend ")
        let eight = try formatter.render(message, eightBitMIME: true)
        #expect(eight.eightBit)
        #expect(text(eight).contains("Content-Transfer-Encoding: 8bit\r\n"))
        let seven = try formatter.render(message, eightBitMIME: false)
        #expect(!seven.eightBit)
        #expect(seven.data.allSatisfy { $0 < 0x80 })
        #expect(text(seven).hasSuffix("\r\n\r\nGr=C3=BC=C3=9Fe =3D\r\nend=20\r\n.\r\n"))
    }

    @Test func aQuotedPrintableContinuationLineStartingWithADotIsStuffedToo() throws {
        // 75 letters fill the first encoded line, so the soft break puts the "." first on the next.
        let body = String(repeating: "a", count: 75) + ".x é"
        let rendered = try formatter.render(EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "s", body: body), eightBitMIME: false)
        #expect(text(rendered).hasSuffix("\r\n\r\n" + String(repeating: "a", count: 75) + "=\r\n..x =C3=A9\r\n.\r\n"))
    }

    @Test func quotedPrintableLinesStayShort() {
        let long = Array(String(repeating: "é", count: 200).utf8) + Array(String(repeating: "a", count: 300).utf8)
        let encoded = String(decoding: QuotedPrintable.encode(line: long), as: UTF8.self)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
        // Decoding gives the bytes back.
        #expect(Self.decodeQP(encoded) == long)
    }

    @Test func subjectsThatAreNotPlainASCIIAreEncodedWords() {
        #expect(SMTPMessageFormatter.subject("Plain subject") == "Plain subject")
        #expect(SMTPMessageFormatter.subject("Café") == "=?utf-8?b?Q2Fmw6k=?=")
        // Text that looks like an encoded word is encoded itself, so it reads back literally.
        #expect(SMTPMessageFormatter.subject("=?utf-8?b?SGk=?=").hasPrefix("=?utf-8?b?"))
        let long = SMTPMessageFormatter.subject(String(repeating: "日本語", count: 40))
        let words = long.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.utf8.count <= 75 && $0.hasPrefix("=?utf-8?b?") && $0.hasSuffix("?=") })
        // No word splits a UTF-8 sequence: each decodes on its own.
        for word in words {
            let payload = word.dropFirst(10).dropLast(2)
            #expect(Data(base64Encoded: String(payload)).flatMap { String(data: $0, encoding: .utf8) } != nil)
        }
    }

    @Test func headerInjectionIsRefused() {
        let cases = [
            EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "x\r\nBcc: c@example.com", body: ""),
            EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "x\u{2028}y", body: ""),
            EmailMessage(from: "Name\r\nBcc: c@example.com <a@example.com>", to: ["b@example.com"], subject: "x", body: ""),
            EmailMessage(from: "a@example.com", to: ["b@example.com\n"], subject: "x", body: ""),
            EmailMessage(from: "a@example.com", to: ["<b@example.com>\u{0}"], subject: "x", body: ""),
            EmailMessage(from: "a@example.com", to: ["b@example.com>,<c@example.com"], subject: "x", body: ""),
        ]
        for message in cases {
            #expect(throws: SMTPError.invalidMessage) { try formatter.render(message, eightBitMIME: true) }
        }
    }

    @Test func displayNamesAreQuotedOrEncoded() throws {
        #expect(try EmailAddress(parsing: "\"O\\\"Brien\" <o@example.com>").displayName == "O\"Brien")
        #expect(try EmailAddress(parsing: "\"O\\\"Brien\" <o@example.com>").headerValue == "\"O\\\"Brien\" <o@example.com>")
        #expect(try EmailAddress(parsing: "Quote \" Inside <q@example.com>").headerValue == "\"Quote \\\" Inside\" <q@example.com>")
        #expect(try EmailAddress(parsing: "Zoë <z@example.com>").headerValue == "=?utf-8?b?Wm/Dqw==?=\r\n <z@example.com>")
        #expect(try EmailAddress(parsing: "  plain@example.com ").headerValue == "plain@example.com")
    }

    static func decodeQP(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        let bytes = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}

@Suite struct SMTPReplyTests {
    @Test func extensionsAreReadFromEveryLineAfterTheFirst() {
        let reply = SMTPReply(code: 250, lines: ["mail.example.com greets you", "8bitmime", "AUTH=LOGIN", "AUTH PLAIN", "SIZE 1000", "STARTTLS"])
        let extensions = reply.extensions
        #expect(extensions["8BITMIME"] == [])
        #expect(Set(extensions["AUTH"] ?? []) == ["LOGIN", "PLAIN"])
        #expect(extensions["SIZE"] == ["1000"])
        #expect(extensions["STARTTLS"] == [])
        #expect(extensions["MAIL.EXAMPLE.COM"] == nil)
    }
}
