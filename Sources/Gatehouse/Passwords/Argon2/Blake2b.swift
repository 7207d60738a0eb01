/// BLAKE2b (RFC 7693), unkeyed, with digests of 1 to 64 bytes: the hash Argon2 is built on.
///
/// Incremental: ``update(_:)`` any number of times, then ``finalize()`` once.
///
/// ```swift
/// var hash = Blake2b(outputLength: 64)
/// hash.update(Array("abc".utf8))
/// let digest = hash.finalize()   // ba80a53f981c4d0d...
/// ```
package struct Blake2b {
    /// The eight initial words (the first 64 bits of the fractional parts of the square roots of the
    /// first eight primes), shared with SHA-512.
    static let iv: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
        0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179
    )

    /// The message word order of each of the ten distinct rounds (rounds 10 and 11 repeat 0 and 1).
    static let sigma: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
        [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
        [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
        [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
        [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    ]

    /// The digest length in bytes.
    package let outputLength: Int
    private var state: [UInt64]
    private var buffer: [UInt8] = []
    private var counter: UInt64 = 0

    /// Starts a hash with a digest of `outputLength` bytes.
    ///
    /// - Precondition: `outputLength` is between 1 and 64.
    package init(outputLength: Int) {
        precondition((1...64).contains(outputLength), "BLAKE2b digests are 1 to 64 bytes")
        self.outputLength = outputLength
        let iv = Self.iv
        state = [iv.0, iv.1, iv.2, iv.3, iv.4, iv.5, iv.6, iv.7]
        // Parameter block: digest length, no key, fanout 1, depth 1.
        state[0] ^= 0x0101_0000 ^ UInt64(outputLength)
        buffer.reserveCapacity(128)
    }

    /// Adds `bytes` to the message.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            if buffer.count == 128 {
                counter &+= 128
                compress(last: false)
                buffer.removeAll(keepingCapacity: true)
            }
            buffer.append(byte)
        }
    }

    /// Adds the little-endian bytes of `value`.
    package mutating func update(littleEndian value: UInt32) {
        update([UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)])
    }

    /// The digest of everything added.
    package mutating func finalize() -> [UInt8] {
        counter &+= UInt64(buffer.count)
        compress(last: true)
        var digest: [UInt8] = []
        digest.reserveCapacity(64)
        for word in state {
            for shift in stride(from: 0, to: 64, by: 8) { digest.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return Array(digest.prefix(outputLength))
    }

    /// The `outputLength`-byte digest of `bytes`.
    ///
    /// ```swift
    /// Blake2b.hash(Array("abc".utf8), outputLength: 64)
    /// ```
    package static func hash(_ bytes: some Sequence<UInt8>, outputLength: Int) -> [UInt8] {
        var hasher = Blake2b(outputLength: outputLength)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Mixes the (zero-padded) buffer into the state; `last` marks the final block.
    private mutating func compress(last: Bool) {
        var m = [UInt64](repeating: 0, count: 16)
        for (index, byte) in buffer.enumerated() {
            m[index / 8] |= UInt64(byte) << UInt64(8 * (index % 8))
        }
        let iv = Self.iv
        var v: [UInt64] = state + [iv.0, iv.1, iv.2, iv.3, iv.4, iv.5, iv.6, iv.7]
        v[12] ^= counter
        // The counter's high word stays zero: messages here are far below 2^64 bytes.
        if last { v[14] = ~v[14] }
        @inline(__always) func mix(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt64, _ y: UInt64) {
            v[a] = v[a] &+ v[b] &+ x
            v[d] = (v[d] ^ v[a]).rotatedRight(32)
            v[c] = v[c] &+ v[d]
            v[b] = (v[b] ^ v[c]).rotatedRight(24)
            v[a] = v[a] &+ v[b] &+ y
            v[d] = (v[d] ^ v[a]).rotatedRight(16)
            v[c] = v[c] &+ v[d]
            v[b] = (v[b] ^ v[c]).rotatedRight(63)
        }
        for round in 0..<12 {
            let s = Self.sigma[round % 10]
            mix(0, 4, 8, 12, m[s[0]], m[s[1]])
            mix(1, 5, 9, 13, m[s[2]], m[s[3]])
            mix(2, 6, 10, 14, m[s[4]], m[s[5]])
            mix(3, 7, 11, 15, m[s[6]], m[s[7]])
            mix(0, 5, 10, 15, m[s[8]], m[s[9]])
            mix(1, 6, 11, 12, m[s[10]], m[s[11]])
            mix(2, 7, 8, 13, m[s[12]], m[s[13]])
            mix(3, 4, 9, 14, m[s[14]], m[s[15]])
        }
        for index in 0..<8 { state[index] ^= v[index] ^ v[index + 8] }
    }
}

extension UInt64 {
    /// The bits rotated `count` places towards the least significant end.
    @inline(__always)
    func rotatedRight(_ count: UInt64) -> UInt64 {
        (self &>> count) | (self &<< (64 &- count))
    }
}
