import CZlib

/// The system zlib, as Python's `zlib.compress` / `zlib.decompress` use it (zlib format, default
/// level), with a bound on decompressed output.
enum Zlib {
    /// `zlib.compress(bytes)`: level 6 (`Z_DEFAULT_COMPRESSION`), 32 KiB window, zlib header.
    static func compress(_ input: [UInt8]) -> [UInt8]? {
        var capacity = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                compress2(out.baseAddress, &capacity, source.baseAddress, uLong(source.count), Z_DEFAULT_COMPRESSION)
            }
        }
        guard status == Z_OK else { return nil }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    /// `zlib.decompress(bytes)`, refusing to produce more than `limit` bytes. Data after the end of the
    /// stream is ignored, as Python does; a truncated or corrupt stream is malformed.
    static func decompress(_ input: [UInt8], limit: Int) throws(SigningError) -> [UInt8] {
        try inflate(input, limit: limit, windowBits: MAX_WBITS)
    }

    /// The contents of a gzip file (RFC 1952, as Python's `gzip` writes), refusing to produce more than
    /// `limit` bytes.
    static func gunzip(_ input: [UInt8], limit: Int) throws(SigningError) -> [UInt8] {
        // 16 + window bits: zlib expects a gzip header and trailer instead of zlib's.
        try inflate(input, limit: limit, windowBits: 16 + MAX_WBITS)
    }

    private static func inflate(_ input: [UInt8], limit: Int, windowBits: Int32) throws(SigningError) -> [UInt8] {
        guard !input.isEmpty, input.count <= Int(UInt32.max) else { throw .malformed("the compressed data is empty") }
        let limit = max(0, limit)
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        let chunkSize = 16 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let result: Result<[UInt8], SigningError> = input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                // Never ask for more than one byte past the limit: reaching it proves the data too large.
                let room = min(chunkSize, limit - output.count + 1)
                let (status, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(room)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, room - Int(stream.avail_out))
                }
                if produced > 0 {
                    if output.count + produced > limit { return .failure(.tooLarge(limit: limit)) }
                    output.append(contentsOf: chunk[0..<produced])
                }
                switch status {
                case Z_STREAM_END:
                    return .success(output)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                case Z_BUF_ERROR:
                    // No progress was possible: the input ran out before the end of the stream.
                    return .failure(.malformed("the compressed data is truncated"))
                default:
                    return .failure(.malformed("the compressed data is corrupt"))
                }
            }
        }
        return try result.get()
    }
}
