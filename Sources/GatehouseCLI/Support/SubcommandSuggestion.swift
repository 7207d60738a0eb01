import ArgumentParser

/// "Did you mean …?" for a mistyped subcommand (`gatehouse creatsuperuser`, `gatehouse users lst`),
/// which ArgumentParser only reports as an unexpected argument.
enum SubcommandSuggestion {
    /// A one-line error naming the closest subcommand, when the arguments name an unknown one that is
    /// close to a real one; `nil` otherwise (ArgumentParser's own message is used then).
    static func message(arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root._commandName]
        for argument in arguments {
            if argument.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { return nil }
            if let next = subcommands.first(where: { names(of: $0).contains(argument) }) {
                command = next
                path.append(next._commandName)
                continue
            }
            let candidates = subcommands.flatMap(names(of:))
            guard let best = closest(to: argument, in: candidates) else { return nil }
            return "unknown command '\(path.joined(separator: " ")) \(argument)'. Did you mean '\(path.joined(separator: " ")) \(best)'?"
        }
        return nil
    }

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }

    /// The candidate with the smallest edit distance, if it is small for the word's length (at most
    /// one edit per three characters, and at least one), or the only candidate the word starts.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let scored = candidates.map { (name: $0, distance: editDistance(Array(lowered), Array($0))) }
        if let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= max(1, lowered.count / 3) {
            return best.name
        }
        let prefixed = candidates.filter { $0.hasPrefix(lowered) }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            previousPrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
