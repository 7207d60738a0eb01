/// Python's `difflib.SequenceMatcher` over Unicode code points with no junk function: the similarity
/// measures Django's ``UserAttributeSimilarityValidator`` uses, computed the same way so the same
/// passwords pass and fail.
///
/// As in Python, with `autojunk` (the default) and a second sequence of at least 200 elements, elements
/// that make up more than 1% of it (plus one) are "popular" and not used to start a match.
struct SequenceMatcher {
    /// One run of equal elements: `a[a..<a+size] == b[b..<b+size]`.
    struct Match: Hashable {
        var a: Int
        var b: Int
        var size: Int
    }

    let a: [Unicode.Scalar]
    let b: [Unicode.Scalar]
    /// For each element of `b` that is not popular, the indices where it occurs, ascending.
    private let b2j: [Unicode.Scalar: [Int]]

    init(a: some StringProtocol, b: some StringProtocol, autojunk: Bool = true) {
        self.a = Array(a.unicodeScalars)
        self.b = Array(b.unicodeScalars)
        var b2j: [Unicode.Scalar: [Int]] = [:]
        for (index, element) in self.b.enumerated() {
            b2j[element, default: []].append(index)
        }
        let n = self.b.count
        if autojunk && n >= 200 {
            let threshold = n / 100 + 1
            b2j = b2j.filter { $0.value.count <= threshold }
        }
        self.b2j = b2j
    }

    /// `2 * matches / total`, or 1 when both sequences are empty.
    private static func ratio(matches: Int, total: Int) -> Double {
        total > 0 ? 2.0 * Double(matches) / Double(total) : 1.0
    }

    /// Python's `quick_ratio()`: an upper bound on ``ratio()`` from the multiset of shared elements.
    func quickRatio() -> Double {
        var fullCount: [Unicode.Scalar: Int] = [:]
        for element in b { fullCount[element, default: 0] += 1 }
        var available: [Unicode.Scalar: Int] = [:]
        var matches = 0
        for element in a {
            let count = available[element] ?? fullCount[element] ?? 0
            available[element] = count - 1
            if count > 0 { matches += 1 }
        }
        return Self.ratio(matches: matches, total: a.count + b.count)
    }

    /// Python's `real_quick_ratio()`: an upper bound from the lengths alone.
    func realQuickRatio() -> Double {
        Self.ratio(matches: min(a.count, b.count), total: a.count + b.count)
    }

    /// Python's `ratio()`: twice the elements in ``matchingBlocks()`` over the total length.
    func ratio() -> Double {
        Self.ratio(matches: matchingBlocks().reduce(0) { $0 + $1.size }, total: a.count + b.count)
    }

    /// Python's `find_longest_match(alo, ahi, blo, bhi)`: the longest run starting earliest in `a`,
    /// then earliest in `b`, extended over popular elements at both ends.
    func findLongestMatch(aLow: Int, aHigh: Int, bLow: Int, bHigh: Int) -> Match {
        var bestI = aLow
        var bestJ = bLow
        var bestSize = 0
        var lengths: [Int: Int] = [:]
        for i in aLow..<max(aLow, aHigh) {
            var newLengths: [Int: Int] = [:]
            for j in b2j[a[i]] ?? [] {
                if j < bLow { continue }
                if j >= bHigh { break }
                let k = (lengths[j - 1] ?? 0) + 1
                newLengths[j] = k
                if k > bestSize {
                    bestI = i - k + 1
                    bestJ = j - k + 1
                    bestSize = k
                }
            }
            lengths = newLengths
        }
        // No element is junk (there is no junk function), so Python's extensions over non-junk
        // elements reach over popular ones; its junk-only extensions never apply.
        while bestI > aLow, bestJ > bLow, a[bestI - 1] == b[bestJ - 1] {
            bestI -= 1
            bestJ -= 1
            bestSize += 1
        }
        while bestI + bestSize < aHigh, bestJ + bestSize < bHigh, a[bestI + bestSize] == b[bestJ + bestSize] {
            bestSize += 1
        }
        return Match(a: bestI, b: bestJ, size: bestSize)
    }

    /// Python's `get_matching_blocks()`: non-adjacent matching runs in order, ending with the
    /// `(len(a), len(b), 0)` sentinel.
    func matchingBlocks() -> [Match] {
        var queue = [(0, a.count, 0, b.count)]
        var blocks: [Match] = []
        while let (aLow, aHigh, bLow, bHigh) = queue.popLast() {
            let match = findLongestMatch(aLow: aLow, aHigh: aHigh, bLow: bLow, bHigh: bHigh)
            guard match.size > 0 else { continue }
            blocks.append(match)
            if aLow < match.a && bLow < match.b {
                queue.append((aLow, match.a, bLow, match.b))
            }
            if match.a + match.size < aHigh && match.b + match.size < bHigh {
                queue.append((match.a + match.size, aHigh, match.b + match.size, bHigh))
            }
        }
        blocks.sort { ($0.a, $0.b, $0.size) < ($1.a, $1.b, $1.size) }
        var merged: [Match] = []
        var current = Match(a: 0, b: 0, size: 0)
        for block in blocks {
            if current.a + current.size == block.a && current.b + current.size == block.b {
                current.size += block.size
            } else {
                if current.size > 0 { merged.append(current) }
                current = block
            }
        }
        if current.size > 0 { merged.append(current) }
        merged.append(Match(a: a.count, b: b.count, size: 0))
        return merged
    }
}
