import Foundation

#if canImport(Darwin)
import Darwin
#endif

/// Tells whether a path lives on a network filesystem, where SQLite's file locks are unreliable and
/// two writers can corrupt a database.
enum FilesystemKind {
    /// The type of the network filesystem holding `path` (`nfs4`, `cifs`, `fuse.sshfs`...), or `nil`
    /// for a local one or when it cannot be told.
    static func networkFilesystem(at path: String) -> String? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        #if os(Linux)
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        return networkFilesystem(at: resolved, mounts: mounts)
        #elseif canImport(Darwin)
        var info = statfs()
        guard statfs(resolved, &info) == 0 else { return nil }
        let name = withUnsafeBytes(of: info.f_fstypename) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
        return isNetwork(type: name) ? name : nil
        #else
        return nil
        #endif
    }

    /// The network filesystem type of the mount holding the absolute `path`, from a mount table in
    /// `/proc/self/mounts`' format (device, mount point with spaces as `\040`, type, ...): the mount
    /// with the longest mount point that contains the path decides.
    static func networkFilesystem(at path: String, mounts: String) -> String? {
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3 else { continue }
            let point = unescape(String(fields[1]))
            let type = String(fields[2])
            let contains = point == "/" || path == point || path.hasPrefix(point.hasSuffix("/") ? point : point + "/")
            if contains, point.count >= (best?.point.count ?? -1) { best = (point, type) }
        }
        guard let best, isNetwork(type: best.type) else { return nil }
        return best.type
    }

    /// Network and cluster filesystems (FUSE ones by the name of their driver).
    static func isNetwork(type: String) -> Bool {
        let type = type.lowercased()
        let network: Set<String> = [
            "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "afs", "coda", "9p", "ceph", "glusterfs", "gfs2", "ocfs2", "lustre",
            "afpfs", "webdav", "davfs", "fuse.sshfs", "fuse.glusterfs", "fuse.s3fs", "fuse.rclone", "fuse.davfs2", "fuse.cephfs",
        ]
        return network.contains(type)
    }

    /// A mount point as the kernel writes it: space, tab, newline and backslash as 3-digit octal escapes.
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "\\"), index + 3 < source.count,
                let value = UInt8(String(decoding: source[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
