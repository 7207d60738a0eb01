/// Argon2 (RFC 9106): the memory-hard password hash behind Django's `argon2` hashes.
///
/// Argon2d, Argon2i and Argon2id, versions 0x10 and 0x13, with optional secret and associated data.
/// The memory (``Parameters/memoryCost`` KiB) is allocated for each call, filled one lane after the
/// other on the calling thread, and wiped and freed before the call returns.
///
/// ```swift
/// let tag = Argon2.hash(
///     password: Array("password".utf8), salt: Array("somesalt".utf8),
///     parameters: .init(variant: .id, timeCost: 2, memoryCost: 65_536, parallelism: 4, tagLength: 32)
/// )
/// ```
package enum Argon2 {
    /// Which blocks a new block is mixed with.
    package enum Variant: UInt32, Sendable, CaseIterable {
        /// Data-dependent addressing.
        case d = 0
        /// Data-independent addressing.
        case i = 1
        /// Data-independent for the first half of the first pass, data-dependent afterwards.
        case id = 2

        /// The PHC name: `argon2d`, `argon2i` or `argon2id`.
        package var name: String {
            switch self {
            case .d: "argon2d"
            case .i: "argon2i"
            case .id: "argon2id"
            }
        }
    }

    /// Version 1.3 (`0x13`, written `v=19`), the current one: later passes XOR into the old block.
    package static let version13: UInt32 = 0x13
    /// Version 1.0 (`0x10`): later passes overwrite blocks.
    package static let version10: UInt32 = 0x10

    /// The inputs besides password, salt, secret and associated data.
    package struct Parameters: Sendable, Hashable {
        /// Argon2d, Argon2i or Argon2id.
        package var variant: Variant
        /// `0x13` or `0x10`.
        package var version: UInt32
        /// Passes over the memory (t), at least 1.
        package var timeCost: Int
        /// Memory in KiB (m), at least 8 × parallelism.
        package var memoryCost: Int
        /// Lanes (p), 1 to 2^24 − 1.
        package var parallelism: Int
        /// Bytes of output (T), at least 4.
        package var tagLength: Int

        /// Creates the parameters.
        package init(
            variant: Variant, version: UInt32 = Argon2.version13, timeCost: Int, memoryCost: Int,
            parallelism: Int, tagLength: Int
        ) {
            self.variant = variant
            self.version = version
            self.timeCost = timeCost
            self.memoryCost = memoryCost
            self.parallelism = parallelism
            self.tagLength = tagLength
        }

        /// Whether RFC 9106's bounds hold (salt and key lengths are checked by ``Argon2/hash``).
        package var isValid: Bool {
            (variant == .d || variant == .i || variant == .id)
                && (version == Argon2.version13 || version == Argon2.version10)
                && timeCost >= 1 && timeCost <= Int(UInt32.max)
                && parallelism >= 1 && parallelism <= 0xFF_FFFF
                && memoryCost >= 8 * parallelism && memoryCost <= Int(UInt32.max)
                && tagLength >= 4 && tagLength <= Int(UInt32.max)
        }
    }

    /// The tag of `password`, or `nil` when the parameters are out of bounds, the salt is shorter than
    /// 8 bytes, or the memory cannot be allocated.
    package static func hash(
        password: [UInt8], salt: [UInt8], secret: [UInt8] = [], associatedData: [UInt8] = [],
        parameters: Parameters
    ) -> [UInt8]? {
        guard parameters.isValid, salt.count >= 8, salt.count <= Int(UInt32.max),
            password.count <= Int(UInt32.max), secret.count <= Int(UInt32.max),
            associatedData.count <= Int(UInt32.max)
        else { return nil }

        // H0: the parameters and inputs, each length little-endian 32-bit.
        var h0Hasher = Blake2b(outputLength: 64)
        for value in [parameters.parallelism, parameters.tagLength, parameters.memoryCost, parameters.timeCost] {
            h0Hasher.update(littleEndian: UInt32(value))
        }
        h0Hasher.update(littleEndian: parameters.version)
        h0Hasher.update(littleEndian: parameters.variant.rawValue)
        for field in [password, salt, secret, associatedData] {
            h0Hasher.update(littleEndian: UInt32(field.count))
            h0Hasher.update(field)
        }
        let h0 = h0Hasher.finalize()

        guard var memory = Memory(parameters: parameters) else { return nil }
        defer { memory.release() }
        memory.initializeFirstBlocks(h0: h0)
        memory.fill()
        let final = memory.finalBlock()
        return variableLengthHash(final, length: parameters.tagLength)
    }

    /// H′ (RFC 9106 section 3.3): a digest of any length built from BLAKE2b, prefixed with the
    /// little-endian 32-bit `length`.
    package static func variableLengthHash(_ input: [UInt8], length: Int) -> [UInt8] {
        var first = Blake2b(outputLength: min(length, 64))
        first.update(littleEndian: UInt32(truncatingIfNeeded: length))
        first.update(input)
        var chunk = first.finalize()
        guard length > 64 else { return chunk }
        var output: [UInt8] = []
        output.reserveCapacity(length)
        output += chunk[0..<32]
        var remaining = length - 32
        while remaining > 64 {
            chunk = Blake2b.hash(chunk, outputLength: 64)
            output += chunk[0..<32]
            remaining -= 32
        }
        output += Blake2b.hash(chunk, outputLength: remaining)
        return output
    }
}

// MARK: - The memory

extension Argon2 {
    /// 128 words (1 KiB) make a block.
    static let wordsPerBlock = 128
    /// Each lane is cut into four slices; lanes synchronize at slice boundaries.
    static let slices = 4

    /// The blocks of one hash, with the scratch space the compression function needs.
    struct Memory {
        let parameters: Parameters
        let lanes: Int
        let segmentLength: Int
        let laneLength: Int
        let blockCount: Int
        /// `blockCount` blocks, lane after lane.
        let blocks: UnsafeMutablePointer<UInt64>
        /// Scratch: R, the saved block, an all-zero block, the address input and the address block.
        let scratch: UnsafeMutablePointer<UInt64>

        init?(parameters: Parameters) {
            self.parameters = parameters
            lanes = parameters.parallelism
            // m′: the memory rounded down to a multiple of 4 × lanes.
            segmentLength = parameters.memoryCost / (Argon2.slices * lanes)
            laneLength = segmentLength * Argon2.slices
            blockCount = laneLength * lanes
            let (words, overflow) = blockCount.multipliedReportingOverflow(by: Argon2.wordsPerBlock)
            guard !overflow else { return nil }
            blocks = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
            scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: 5 * Argon2.wordsPerBlock)
            scratch.initialize(repeating: 0, count: 5 * Argon2.wordsPerBlock)
        }

        /// Wipes and frees the memory.
        mutating func release() {
            let words = blockCount * Argon2.wordsPerBlock
            Argon2.wipe(blocks, count: words)
            blocks.deallocate()
            Argon2.wipe(scratch, count: 5 * Argon2.wordsPerBlock)
            scratch.deallocate()
        }

        /// Blocks 0 and 1 of every lane: H′(H0 ‖ LE32(column) ‖ LE32(lane)).
        func initializeFirstBlocks(h0: [UInt8]) {
            for lane in 0..<lanes {
                for column in 0..<2 {
                    var input = h0
                    for value in [UInt32(column), UInt32(lane)] {
                        for shift in stride(from: 0, to: 32, by: 8) { input.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
                    }
                    let bytes = Argon2.variableLengthHash(input, length: 1024)
                    let block = blocks + (lane * laneLength + column) * Argon2.wordsPerBlock
                    bytes.withUnsafeBytes { raw in
                        for word in 0..<Argon2.wordsPerBlock {
                            block[word] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self))
                        }
                    }
                }
            }
        }

        /// Every pass, slice by slice, lane by lane.
        func fill() {
            for pass in 0..<parameters.timeCost {
                for slice in 0..<Argon2.slices {
                    for lane in 0..<lanes {
                        fillSegment(pass: pass, lane: lane, slice: slice)
                    }
                }
            }
        }

        /// The XOR of every lane's last block, as bytes.
        func finalBlock() -> [UInt8] {
            var words = [UInt64](repeating: 0, count: Argon2.wordsPerBlock)
            for lane in 0..<lanes {
                let block = blocks + (lane * laneLength + laneLength - 1) * Argon2.wordsPerBlock
                for word in 0..<Argon2.wordsPerBlock { words[word] ^= block[word] }
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(1024)
            for word in words {
                for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            }
            Argon2.wipe(&words)
            return bytes
        }

        private func fillSegment(pass: Int, lane: Int, slice: Int) {
            let variant = parameters.variant
            let independent = variant == .i || (variant == .id && pass == 0 && slice < 2)
            let zero = scratch + 2 * Argon2.wordsPerBlock
            let addressInput = scratch + 3 * Argon2.wordsPerBlock
            let addresses = scratch + 4 * Argon2.wordsPerBlock
            if independent {
                addressInput.update(repeating: 0, count: Argon2.wordsPerBlock)
                addressInput[0] = UInt64(pass)
                addressInput[1] = UInt64(lane)
                addressInput[2] = UInt64(slice)
                addressInput[3] = UInt64(blockCount)
                addressInput[4] = UInt64(parameters.timeCost)
                addressInput[5] = UInt64(variant.rawValue)
            }
            let xorInto = parameters.version == Argon2.version13 && pass > 0
            let start = pass == 0 && slice == 0 ? 2 : 0
            let laneStart = lane * laneLength
            for index in start..<segmentLength {
                if independent && (index % Argon2.wordsPerBlock == 0 || index == start) {
                    addressInput[6] &+= 1
                    Argon2.compress(zero, addressInput, into: addresses, xor: false, scratch: scratch)
                    Argon2.compress(zero, addresses, into: addresses, xor: false, scratch: scratch)
                }
                let column = slice * segmentLength + index
                let current = laneStart + column
                let previous = column == 0 ? laneStart + laneLength - 1 : current - 1
                let pseudoRandom =
                    independent
                    ? addresses[index % Argon2.wordsPerBlock] : blocks[previous * Argon2.wordsPerBlock]
                let referenceLane = pass == 0 && slice == 0 ? lane : Int((pseudoRandom >> 32) % UInt64(lanes))
                let referenceColumn = referenceIndex(
                    pass: pass, slice: slice, index: index, j1: pseudoRandom & 0xFFFF_FFFF,
                    sameLane: referenceLane == lane
                )
                Argon2.compress(
                    blocks + previous * Argon2.wordsPerBlock,
                    blocks + (referenceLane * laneLength + referenceColumn) * Argon2.wordsPerBlock,
                    into: blocks + current * Argon2.wordsPerBlock, xor: xorInto, scratch: scratch
                )
            }
        }

        /// The column of the reference block in its lane (RFC 9106 section 3.4.1.2).
        @inline(__always)
        private func referenceIndex(pass: Int, slice: Int, index: Int, j1: UInt64, sameLane: Bool) -> Int {
            let areaSize: Int
            if pass == 0 {
                if sameLane {
                    areaSize = slice * segmentLength + index - 1
                } else {
                    areaSize = slice * segmentLength + (index == 0 ? -1 : 0)
                }
            } else {
                areaSize = laneLength - segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0))
            }
            let x = (j1 &* j1) >> 32
            let y = (UInt64(areaSize) &* x) >> 32
            let relative = areaSize - 1 - Int(y)
            let startPosition = pass != 0 && slice != Argon2.slices - 1 ? (slice + 1) * segmentLength : 0
            return (startPosition + relative) % laneLength
        }
    }

    /// Overwrites `count` words with zeros in a way the optimizer keeps.
    @inline(never)
    static func wipe(_ pointer: UnsafeMutablePointer<UInt64>, count: Int) {
        let volatile = UnsafeMutableRawPointer(pointer)
        for offset in 0..<count { volatile.storeBytes(of: 0, toByteOffset: offset * 8, as: UInt64.self) }
    }

    @inline(never)
    static func wipe(_ words: inout [UInt64]) {
        words.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { wipe(base, count: buffer.count) }
        }
    }
}

// MARK: - The compression function G

extension Argon2 {
    /// G (RFC 9106 section 3.5): `into` = P(x ⊕ y) ⊕ x ⊕ y, XORed with its old value when `xor`.
    /// `into` may be `y`. Uses the first two blocks of `scratch`.
    @inline(__always)
    static func compress(
        _ x: UnsafeMutablePointer<UInt64>, _ y: UnsafeMutablePointer<UInt64>,
        into output: UnsafeMutablePointer<UInt64>, xor: Bool, scratch: UnsafeMutablePointer<UInt64>
    ) {
        let r = scratch
        let saved = scratch + wordsPerBlock
        for word in 0..<wordsPerBlock {
            let value = x[word] ^ y[word]
            r[word] = value
            saved[word] = xor ? value ^ output[word] : value
        }
        // Rows: eight runs over 16 consecutive words.
        for row in 0..<8 {
            let b = 16 * row
            permute(r, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
                    b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15)
        }
        // Columns: eight runs over word pairs 16 apart.
        for column in 0..<8 {
            let b = 2 * column
            permute(r, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49,
                    b + 64, b + 65, b + 80, b + 81, b + 96, b + 97, b + 112, b + 113)
        }
        for word in 0..<wordsPerBlock { output[word] = r[word] ^ saved[word] }
    }

    /// The BLAKE2b round without message words, with BlaMka's multiplications, on 16 words of `v`.
    @inline(__always)
    static func permute(
        _ v: UnsafeMutablePointer<UInt64>,
        _ i0: Int, _ i1: Int, _ i2: Int, _ i3: Int, _ i4: Int, _ i5: Int, _ i6: Int, _ i7: Int,
        _ i8: Int, _ i9: Int, _ i10: Int, _ i11: Int, _ i12: Int, _ i13: Int, _ i14: Int, _ i15: Int
    ) {
        var v0 = v[i0], v1 = v[i1], v2 = v[i2], v3 = v[i3]
        var v4 = v[i4], v5 = v[i5], v6 = v[i6], v7 = v[i7]
        var v8 = v[i8], v9 = v[i9], v10 = v[i10], v11 = v[i11]
        var v12 = v[i12], v13 = v[i13], v14 = v[i14], v15 = v[i15]
        mix(&v0, &v4, &v8, &v12)
        mix(&v1, &v5, &v9, &v13)
        mix(&v2, &v6, &v10, &v14)
        mix(&v3, &v7, &v11, &v15)
        mix(&v0, &v5, &v10, &v15)
        mix(&v1, &v6, &v11, &v12)
        mix(&v2, &v7, &v8, &v13)
        mix(&v3, &v4, &v9, &v14)
        v[i0] = v0; v[i1] = v1; v[i2] = v2; v[i3] = v3
        v[i4] = v4; v[i5] = v5; v[i6] = v6; v[i7] = v7
        v[i8] = v8; v[i9] = v9; v[i10] = v10; v[i11] = v11
        v[i12] = v12; v[i13] = v13; v[i14] = v14; v[i15] = v15
    }

    /// GB: BLAKE2b's G with each addition a + b replaced by a + b + 2·lo32(a)·lo32(b).
    @inline(__always)
    static func mix(_ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64) {
        a = blamka(a, b)
        d ^= a
        d = (d &>> 32) | (d &<< 32)
        c = blamka(c, d)
        b ^= c
        b = (b &>> 24) | (b &<< 40)
        a = blamka(a, b)
        d ^= a
        d = (d &>> 16) | (d &<< 48)
        c = blamka(c, d)
        b ^= c
        b = (b &>> 63) | (b &<< 1)
    }

    @inline(__always)
    static func blamka(_ x: UInt64, _ y: UInt64) -> UInt64 {
        x &+ y &+ 2 &* ((x & 0xFFFF_FFFF) &* (y & 0xFFFF_FFFF))
    }
}
