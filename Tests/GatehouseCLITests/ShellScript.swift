import Foundation

// Runs a shell script from a test and returns its status and standard output. The status comes
// from the script's own last line rather than from `Process.waitUntilExit()`: a script that starts
// daemons (pg_ctl, nginx) was seen to leave Foundation waiting for an exit it had missed, with the
// script already a zombie.
enum ShellScript {
    static let marker = "gatehouse-test-script-status="

    static func run(_ path: String, arguments: [String] = [], environment: [String: String], log: URL) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(filePath: "/bin/bash")
        process.arguments = ["-c", "bash \"$@\"; echo \"\(marker)$?\"", "script", path] + arguments
        var variables = ProcessInfo.processInfo.environment
        variables.removeValue(forKey: "GATEHOUSE_DATABASE_URL")
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        defer { try? handle.close() }
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data: Data = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: output.fileHandleForReading.readDataToEndOfFile()) }
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        guard let last = lines.last, last.hasPrefix(marker), let status = Int32(last.dropFirst(marker.count)) else {
            return (-1, lines.joined(separator: "\n"))
        }
        return (status, lines.dropLast().joined(separator: "\n"))
    }
}
