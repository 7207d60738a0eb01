#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Gatehouse
import GatehouseSQL
import Logging

/// Where SECRET_KEY comes from: `GATEHOUSE_SECRET_KEY` (with `GATEHOUSE_SECRET_KEY_FALLBACKS`,
/// comma-separated), or else a key generated on first start and saved beside the SQLite database
/// (the working directory for PostgreSQL) in `gatehouse-secret-key`, mode 0600.
enum SecretKeyResolver {
    static let fileName = "gatehouse-secret-key"

    static func directory(for url: DatabaseURL) -> URL {
        if case .sqlite(.file(let path)) = url.kind {
            return URL(fileURLWithPath: path).deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    static func resolve(for url: DatabaseURL, logger: Logger) throws -> SigningKeys {
        let environment = ProcessInfo.processInfo.environment
        let fallbacks = (environment["GATEHOUSE_SECRET_KEY_FALLBACKS"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let key = environment["GATEHOUSE_SECRET_KEY"], !key.isEmpty {
            return try SigningKeys(secretKey: key, fallbacks: fallbacks)
        }
        let file = directory(for: url).appendingPathComponent(fileName)
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            !saved.isEmpty
        {
            // Said once, when the key was generated; a start with the saved key is routine.
            logger.info("GATEHOUSE_SECRET_KEY is not set; using the key saved in \(file.path)")
            return try SigningKeys(secretKey: saved, fallbacks: fallbacks)
        }
        let key = RandomString.make(length: 50, from: Array("abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)"))
        // POSIX open: created only if missing (O_EXCL), and 0600 from the first byte. The same call
        // on Glibc, Musl and Darwin; Foundation's FileHandle writes and closes it.
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure("could not create \(file.path) for a new secret key; set GATEHOUSE_SECRET_KEY instead")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data((key + "\n").utf8))
            try handle.close()
        } catch {
            throw CommandFailure("could not write the secret key to \(file.path)")
        }
        logger.warning(
            "GATEHOUSE_SECRET_KEY is not set; generated a new secret key and saved it in \(file.path) (mode 0600). Keep it secret; set GATEHOUSE_SECRET_KEY in production."
        )
        return try SigningKeys(secretKey: key, fallbacks: fallbacks)
    }
}
