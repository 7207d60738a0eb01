/// One address of a message as SMTP and RFC 5322 carry it: `alice@example.com`, or with a display
/// name, `Alice Example <alice@example.com>` (Django's `DEFAULT_FROM_EMAIL` may be either).
///
/// Parsing refuses what could smuggle a header or a command: any control character (CR and LF
/// above all), angle brackets, spaces or quotes inside the address, a non-ASCII address (it would
/// need SMTPUTF8), an address longer than 254 octets. A display name may be any text without
/// control characters; it is quoted, or encoded (RFC 2047) when it is not ASCII.
package struct EmailAddress: Sendable, Equatable {
    /// The address alone, for the envelope (`MAIL FROM:<…>`, `RCPT TO:<…>`).
    package let address: String
    /// The display name, if any.
    package let displayName: String?

    /// Parses `address` or `Display Name <address>`.
    package init(parsing text: String) throws(SMTPError) {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" }) else {
            throw .invalidMessage("an address has a line break or another control character")
        }
        let trimmed = text.trimmingSpaces
        var address = trimmed
        var name: String?
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var display = String(trimmed[..<open]).trimmingSpaces
            if display.count >= 2, display.hasPrefix("\""), display.hasSuffix("\"") {
                // A quoted string: drop the quotes, undo its backslash escapes.
                var unescaped = ""
                var escaping = false
                for character in display.dropFirst().dropLast() {
                    if !escaping, character == "\\" {
                        escaping = true
                    } else {
                        unescaped.append(character)
                        escaping = false
                    }
                }
                display = unescaped
            }
            name = display.isEmpty ? nil : display
        }
        guard Self.isValidAddress(address) else {
            throw .invalidMessage("an address is not a plain ASCII address (local@domain, at most 254 octets)")
        }
        self.address = address
        self.displayName = name
    }

    /// The domain after the last `@`.
    package var domain: Substring {
        address[address.index(after: address.lastIndex(of: "@")!)...]
    }

    /// The header form: `alice@example.com`, `"Alice Example" <alice@example.com>` or an encoded
    /// word for a name that is not ASCII.
    var headerValue: String {
        guard let displayName else { return address }
        if displayName.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }), displayName.utf8.count <= 64,
            !displayName.contains("=?")
        {
            let quoted = displayName.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return EncodedWord.encode(displayName, firstLineUsed: 6) + "\r\n <\(address)>"
    }

    static func isValidAddress(_ address: String) -> Bool {
        guard address.utf8.count <= 254, let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty, local.utf8.count <= 64 else { return false }
        let forbidden = Set("<>()[]\\,;:\"@ ".unicodeScalars)
        let localOK = local.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !forbidden.contains($0) }
        let domainOK = domain.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
        }
        return localOK && domainOK && !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars.removeLast() }
        return String(scalars)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
