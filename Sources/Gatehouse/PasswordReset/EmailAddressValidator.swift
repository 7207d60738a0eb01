#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Django's `EmailValidator` (what `forms.EmailField` checks), on Unicode scalars as Python counts
/// characters: at most 320 characters with an `@`; before the last `@` a dot-atom of ASCII letters,
/// digits and ``atomSymbols`` (or a quoted string); after it `localhost`, a domain name of labels
/// (letters from U+00A1 to U+FFFF allowed, no leading or trailing `-`, at most 63 characters) ending
/// in a top-level label of at least two letters or an `xn--` label, or an IP address in brackets.
///
/// Checked against Django 6.1 (Tests/Fixtures/django/password-reset-vectors.json, `forms`).
package enum EmailAddressValidator {
    /// The error Django gives.
    package static let invalid = ValidationError(code: "invalid", message: "Enter a valid email address.")

    /// The symbols a dot-atom may hold besides letters and digits.
    static let atomSymbols = Set("-!#$%&'*+/=?^_`{}|~".unicodeScalars)

    /// Whether Django's validator accepts `value`.
    package static func isValid(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 320, let at = scalars.lastIndex(of: "@") else { return false }
        let user = Array(scalars[..<at])
        let domain = Array(scalars[(at + 1)...])
        guard isDotAtom(user) || isQuotedString(user) else { return false }
        return String(String.UnicodeScalarView(domain)) == "localhost" || isDomainName(domain) || isAddressLiteral(domain)
    }

    /// The four non-ASCII letters Python's case-insensitive `[A-Z]` also matches.
    static func isFoldedASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        [0x0130, 0x0131, 0x017F, 0x212A].contains(scalar.value)
    }

    static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    static func isDotAtom(_ scalars: [Unicode.Scalar]) -> Bool {
        let atoms = scalars.split(separator: ".", omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { isASCIILetterOrDigit($0) || atomSymbols.contains($0) || isFoldedASCIILetter($0) }
        }
    }

    static func isQuotedString(_ scalars: [Unicode.Scalar]) -> Bool {
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else { return false }
        let inner = scalars[1..<(scalars.count - 1)]
        var index = inner.startIndex
        while index < inner.endIndex {
            let value = inner[index].value
            if value == 0x5C {
                // A backslash escapes any ASCII character but NUL, LF and CR.
                let next = inner.index(after: index)
                guard next < inner.endIndex else { return false }
                let escaped = inner[next].value
                guard (0x01...0x7F).contains(escaped), escaped != 0x0A, escaped != 0x0D else { return false }
                index = inner.index(after: next)
                continue
            }
            let plain =
                (0x01...0x08).contains(value) || value == 0x0B || value == 0x0C || (0x0E...0x1F).contains(value) || value == 0x21
                || (0x23...0x5B).contains(value) || (0x5D...0x7F).contains(value) || isFoldedASCIILetter(inner[index])
            guard plain else { return false }
            index = inner.index(after: index)
        }
        return true
    }

    /// A letter or digit of a domain label: ASCII letters and digits, or U+00A1 to U+FFFF.
    static func isLabelCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetterOrDigit(scalar) || (0xA1...0xFFFF).contains(scalar.value)
    }

    static func isDomainName(_ scalars: [Unicode.Scalar]) -> Bool {
        let labels = scalars.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last else { return false }
        for label in labels.dropLast() {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                label.allSatisfy({ isLabelCharacter($0) || $0 == "-" })
            else { return false }
        }
        return isTopLevelLabel(Array(tld))
    }

    static func isTopLevelLabel(_ label: [Unicode.Scalar]) -> Bool {
        guard label.first != "-", label.last != "-" else { return false }
        let letters = (2...63).contains(label.count)
            && label.allSatisfy { $0 == "-" || (0xA1...0xFFFF).contains($0.value) || (isASCIILetterOrDigit($0) && !("0"..."9").contains($0)) }
        if letters { return true }
        // `xn--` and 1 to 59 ASCII letters or digits (a punycode label).
        guard label.count >= 5, label.count <= 63 else { return false }
        let prefix = String(String.UnicodeScalarView(label[0..<4])).lowercased()
        return prefix == "xn--" && label[4...].allSatisfy(isASCIILetterOrDigit)
    }

    static func isAddressLiteral(_ scalars: [Unicode.Scalar]) -> Bool {
        guard scalars.count >= 3, scalars.first == "[", scalars.last == "]" else { return false }
        let inner = scalars[1..<(scalars.count - 1)]
        guard inner.allSatisfy({ isHexDigit($0) || $0 == ":" || $0 == "." }) else { return false }
        let text = String(String.UnicodeScalarView(inner))
        return isIPv4(text) || isIPv6(text)
    }

    static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66: true
        default: false
        }
    }

    /// Python's `ipaddress.IPv4Address`: four decimal octets up to 255, no leading zeros.
    static func isIPv4(_ text: String) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCII), octet.allSatisfy(\.isNumber),
                let value = Int(octet), value <= 255
            else { return false }
            return octet.count == 1 || octet.first != "0"
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.utf8.count <= 45 else { return false }
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}
