#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Prompts on standard error and reads answers from standard input.
///
/// Hidden prompts turn terminal echo off while the password is typed. When standard input is not a
/// terminal (a pipe in scripts and tests) answers are read line by line.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) != 0 }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Shows `prompt` and returns one line without its newline, or `nil` at the end of input.
    static func ask(_ prompt: String) -> String? {
        write(prompt)
        return readLine(strippingNewline: true)
    }

    /// Shows `prompt` and reads a line with echo off.
    static func askHidden(_ prompt: String) -> String? {
        write(prompt)
        guard isInteractive else { return readLine(strippingNewline: true) }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return readLine(strippingNewline: true) }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            write("\n")
        }
        return readLine(strippingNewline: true)
    }

    /// Asks a yes/no question; only `y` or `yes` (any case) is yes.
    static func confirm(_ prompt: String) -> Bool {
        guard let answer = ask(prompt) else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Prints rows as left-aligned columns under a header.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
