public import Foundation

/// A throwaway certificate authority and a server certificate it signed (for 127.0.0.1 and
/// localhost), made with the `openssl` command line tool. Used by the SMTP, PostgreSQL and `serve --tls-cert` tests.
public struct TestCertificates: Sendable {
    /// The CA's certificate (PEM): the root a client trusts.
    public let caCertificate: URL
    /// The server's certificate (PEM), signed by the CA.
    public let serverCertificate: URL
    /// The server certificate's private key (PEM, unencrypted).
    public let serverKey: URL

    /// Makes a CA and a server certificate signed by it in `directory`, under `name`, for `names`
    /// (subjectAltName entries).
    public static func make(in directory: URL, name: String = "ca", names: String = "IP:127.0.0.1,DNS:localhost") throws -> TestCertificates {
        let ca = directory.appending(path: "\(name).pem")
        let caKey = directory.appending(path: "\(name)-key.pem")
        let key = directory.appending(path: "\(name)-server-key.pem")
        let request = directory.appending(path: "\(name)-server.csr")
        let certificate = directory.appending(path: "\(name)-server.pem")
        let extensions = directory.appending(path: "\(name)-server.ext")
        try "subjectAltName=\(names)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(to: extensions, atomically: true, encoding: .utf8)
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=Gatehouse test CA \(name)", "-keyout", caKey.path, "-out", ca.path,
        ])
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", "/CN=localhost", "-keyout", key.path, "-out", request.path,
        ])
        try openssl([
            "x509", "-req", "-in", request.path, "-CA", ca.path, "-CAkey", caKey.path, "-CAcreateserial",
            "-days", "2", "-extfile", extensions.path, "-out", certificate.path,
        ])
        return TestCertificates(caCertificate: ca, serverCertificate: certificate, serverKey: key)
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("openssl \(arguments.first ?? "") failed: \(String(decoding: output, as: UTF8.self))")
        }
    }
}
