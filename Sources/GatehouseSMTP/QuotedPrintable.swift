/// Quoted-printable (RFC 2045 section 6.7) for a body that cannot travel as it is: not ASCII on a
/// server without 8BITMIME, or a line longer than SMTP allows.
enum QuotedPrintable {
    /// Encodes one line of the body (without its line break) into lines of at most 76 characters,
    /// joined by soft line breaks (`=` CRLF).
    static func encode(line: some Collection<UInt8>) -> [UInt8] {
        Array(encodedLines(line).joined(separator: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]))
    }

    /// The same as ``encode(line:)``, as the physical lines (each but the last ending in the soft
    /// break's `=`), so that SMTP's dot-stuffing sees every line.
    static func encodedLines(_ line: some Collection<UInt8>) -> [[UInt8]] {
        let bytes = Array(line)
        var lines: [[UInt8]] = []
        var output: [UInt8] = []
        var lineLength = 0
        for (offset, byte) in bytes.enumerated() {
            let isLast = offset == bytes.count - 1
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
            let piece: [UInt8] = literal ? [byte] : escape(byte)
            // Leave room for the soft break's "=" unless this is the line's last piece.
            let limit = isLast ? 76 : 75
            if lineLength + piece.count > limit {
                output.append(UInt8(ascii: "="))
                lines.append(output)
                output = []
                lineLength = 0
            }
            output += piece
            lineLength += piece.count
        }
        lines.append(output)
        return lines
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func escape(_ byte: UInt8) -> [UInt8] {
        [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }
}
