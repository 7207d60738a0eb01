/// RFC 2047 encoded words (`=?utf-8?b?…?=`) for header text that is not plain ASCII.
enum EncodedWord {
    /// At most 39 bytes per word: 52 base64 characters, 64 with `=?utf-8?b?` and `?=`, so that a
    /// word and a header's name (`Subject: `) fit RFC 2047's 76 characters a line.
    static let bytesPerWord = 39

    /// `text` as encoded words, one per folded line (joined by CRLF and a space), never splitting a
    /// UTF-8 sequence. `firstLineUsed` is what the header's name took already (unused: every word
    /// fits a line).
    static func encode(_ text: String, firstLineUsed: Int) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesPerWord {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?utf-8?b?" + Base64.encode(bytes) + "?="
    }
}

/// Standard base64 with padding (RFC 4648), for AUTH and encoded words.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let b0 = input[index]
            let b1 = index + 1 < input.count ? input[index + 1] : 0
            let b2 = index + 2 < input.count ? input[index + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(index + 1 < input.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < input.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
