import ArgumentParser
import Foundation
import GatehouseHummingbird
import HummingbirdCore
import HummingbirdHTTP2
import NIOCore
import NIOSSL

/// `--tls-cert` and `--tls-key`: `serve` answers HTTPS itself, HTTP/1.1 and HTTP/2 (chosen by ALPN),
/// and the site is then treated as HTTPS as `--https` says. Each option falls back to its environment
/// variable (`GATEHOUSE_TLS_CERT`, `GATEHOUSE_TLS_KEY`).
struct TLSOptions: ParsableArguments {
    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp(
            "Serve HTTPS with this PEM certificate chain (the server's certificate first), with --tls-key; cookies get Secure and HSTS is sent (default: $GATEHOUSE_TLS_CERT).",
            valueName: "file"
        )
    )
    var certificate: String?

    @Option(
        name: .customLong("tls-key"),
        help: ArgumentHelp("The PEM private key of --tls-cert, unencrypted (default: $GATEHOUSE_TLS_KEY).", valueName: "file")
    )
    var key: String?

    /// The TLS settings in force, or `nil` for plain HTTP: options, then environment variables. Throws
    /// a one-line error naming the file and what is wrong with it, never the key's content.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TLSConfiguration? {
        let certificatePath = certificate ?? environment["GATEHOUSE_TLS_CERT"].flatMap { $0.isEmpty ? nil : $0 }
        let keyPath = key ?? environment["GATEHOUSE_TLS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (certificatePath, keyPath) {
        case (nil, nil): return nil
        case (nil, _): throw CommandFailure("--tls-key needs --tls-cert (or GATEHOUSE_TLS_CERT) too")
        case (_, nil): throw CommandFailure("--tls-cert needs --tls-key (or GATEHOUSE_TLS_KEY) too")
        case (let certificatePath?, let keyPath?):
            try Self.requireReadable(certificatePath, flag: "--tls-cert")
            try Self.requireReadable(keyPath, flag: "--tls-key")
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
            } catch {
                chain = []
            }
            guard !chain.isEmpty else { throw CommandFailure("--tls-cert \(certificatePath) holds no PEM certificate") }
            let privateKey: NIOSSLPrivateKey
            do {
                privateKey = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            } catch {
                throw CommandFailure("--tls-key \(keyPath) holds no unencrypted PEM private key")
            }
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey)
            )
            do {
                // BoringSSL checks here that the key belongs to the certificate.
                _ = try NIOSSLContext(configuration: configuration)
            } catch {
                throw CommandFailure("--tls-key \(keyPath) is not the private key of the certificate in --tls-cert \(certificatePath)")
            }
            return configuration
        }
    }

    private static func requireReadable(_ path: String, flag: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure("\(flag) \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw CommandFailure("\(flag) \(path) is a directory, not a PEM file") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw CommandFailure("\(flag) \(path) cannot be read (check its permissions)") }
    }

    /// The server: plain HTTP/1.1 without `tls`; with it HTTP/1.1 and HTTP/2 over TLS (ALPN), the TLS
    /// handshake bounded by `handshakeTimeout`, and every request's scheme `https` (``HTTPSSchemeHandler``). `handlers` (the connection timeouts, `Expect:
    /// 100-continue`) run on every HTTP/1.1 connection and on every HTTP/2 stream; an HTTP/2
    /// connection without streams closes after `idleTimeout`.
    static func server(
        tls: TLSConfiguration?, handlers: @escaping @Sendable () -> [any RemovableChannelHandler], handshakeTimeout: Duration,
        idleTimeout: Duration
    ) throws -> HTTPServerBuilder {
        guard let tls else { return .http1(configuration: .init(additionalChannelHandlers: handlers())) }
        let configuration = HTTP2UpgradeChannel.Configuration(
            idleTimeout: idleTimeout, streamConfiguration: .init(additionalChannelHandlers: [HTTPSSchemeHandler()] + handlers())
        )
        let deadline = TimeAmount.nanoseconds(Int64(handshakeTimeout.components.seconds) * 1_000_000_000)
        return HTTPServerBuilder { responder in
            TLSHandshakeDeadlineChannel(
                base: try HTTP2UpgradeChannel(tlsConfiguration: tls, configuration: configuration, responder: responder),
                timeout: deadline
            )
        }
    }
}
