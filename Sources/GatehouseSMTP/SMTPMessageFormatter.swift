import Foundation
import Gatehouse

/// Turns an ``Gatehouse/EmailMessage`` into the RFC 5322 text that follows SMTP's DATA: the
/// headers (Date, Message-ID, From, To, Subject, MIME-Version, Content-Type,
/// Content-Transfer-Encoding), a blank line and the body, every line ending in CRLF and at most 998
/// octets long, lines starting with "." doubled (RFC 5321's transparency), and the terminating
/// `.` line.
///
/// The body travels as `7bit` when it is ASCII, as `8bit` when it is not and the server offers
/// 8BITMIME, and as `quoted-printable` otherwise, or when a line is longer than SMTP allows
/// (Django chooses the same way). The subject and display names are RFC 2047 encoded words when
/// they are not ASCII. A subject or address with a line break is refused
/// (``SMTPError/invalidMessage``): a header cannot be injected.
struct SMTPMessageFormatter: Sendable {
    /// The message's envelope and text.
    struct Rendered: Sendable {
        /// `MAIL FROM`'s address.
        var sender: String
        /// `RCPT TO`'s addresses, in order, without duplicates.
        var recipients: [String]
        /// Whether `MAIL FROM` must say `BODY=8BITMIME`.
        var eightBit: Bool
        /// The Message-ID header's value.
        var messageID: String
        /// The bytes after DATA's 354, up to and including the final `.` CRLF.
        var data: [UInt8]
    }

    /// The longest line SMTP carries, without its CRLF (RFC 5321 section 4.5.3.1.6).
    static let maximumLineLength = 998

    init() {}

    /// Renders `message`; `eightBitMIME` says whether the server offered 8BITMIME.
    func render(
        _ message: EmailMessage, eightBitMIME: Bool, date: Date = Date(), messageIDDomain: String? = nil
    ) throws(SMTPError) -> Rendered {
        let from = try EmailAddress(parsing: message.from)
        guard !message.to.isEmpty else { throw .invalidMessage("the message has no recipient") }
        var recipients: [EmailAddress] = []
        for text in message.to {
            recipients.append(try EmailAddress(parsing: text))
        }
        guard !message.subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" })
        else {
            throw .invalidMessage("the subject has a line break")
        }
        let domain = messageIDDomain ?? String(from.domain)
        let messageID = "<\(Self.randomHex()).\(Self.randomHex())@\(domain)>"

        var header = ""
        header += "Date: \(date.rfc5322)\r\n"
        header += "Message-ID: \(messageID)\r\n"
        header += "From: \(from.headerValue)\r\n"
        header += "To: \(recipients.map(\.headerValue).joined(separator: ",\r\n "))\r\n"
        header += "Subject: \(Self.subject(message.subject))\r\n"
        header += "MIME-Version: 1.0\r\n"
        header += "Content-Type: text/plain; charset=utf-8\r\n"

        let lines = Self.lines(of: message.body)
        let isASCII = message.body.utf8.allSatisfy { $0 < 0x80 }
        let fits = lines.allSatisfy { $0.count <= Self.maximumLineLength }
        let encoding: String
        var bodyLines: [[UInt8]]
        if fits, isASCII {
            encoding = "7bit"
            bodyLines = lines
        } else if fits, eightBitMIME {
            encoding = "8bit"
            bodyLines = lines
        } else {
            encoding = "quoted-printable"
            bodyLines = lines.flatMap { QuotedPrintable.encodedLines($0) }
        }
        header += "Content-Transfer-Encoding: \(encoding)\r\n\r\n"

        var data = Array(header.utf8)
        // Every physical line, soft-broken ones included, is dot-stuffed.
        for line in bodyLines {
            if line.first == UInt8(ascii: ".") { data.append(UInt8(ascii: ".")) }
            data += line
            data += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        }
        data += Array(".\r\n".utf8)
        var seen = Set<String>()
        return Rendered(
            sender: from.address,
            recipients: recipients.map(\.address).filter { seen.insert($0.lowercased()).inserted },
            eightBit: encoding == "8bit",
            messageID: messageID,
            data: data
        )
    }

    /// The body's lines, whatever their breaks were (CRLF, LF or a lone CR).
    static func lines(of body: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var previousWasCR = false
        for byte in body.utf8 {
            if byte == UInt8(ascii: "\n") {
                if !previousWasCR { lines.append(current) }
                current = []
                previousWasCR = false
            } else if byte == UInt8(ascii: "\r") {
                lines.append(current)
                current = []
                previousWasCR = true
            } else {
                current.append(byte)
                previousWasCR = false
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The Subject header's value: as it is when it is short printable ASCII that cannot be
    /// mistaken for an encoded word, otherwise encoded words folded over several lines.
    static func subject(_ subject: String) -> String {
        let plain = subject.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if plain, subject.utf8.count <= 900, !subject.contains("=?") { return subject }
        return EncodedWord.encode(subject, firstLineUsed: 9)
    }

    private static func randomHex() -> String {
        let value = UInt64.random(in: .min ... .max)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
