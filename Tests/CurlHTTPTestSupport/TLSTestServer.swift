import Foundation
import NIOCore
import NIOPosix
import ProcessTestSupport

/// nginx serving HTTP/2 and HTTP/1.1 over TLS (ALPN) on 127.0.0.1 with a throw-away self-signed certificate.
///
/// Needs the `nginx` and `openssl` binaries; ``start()`` returns `nil` when either is missing so tests can skip.
/// Every path answers `200` with the body `tls`. Never cleartext HTTP/2: Debian's libcurl 7.88 breaks h2c on reuse.
public final class TLSTestServer: Sendable {
    /// `https://127.0.0.1:<port>`.
    public let baseURL: String
    /// The PEM certificate, which is also its own CA: pass it as `certificateAuthorityFile`.
    public let certificateFile: String
    private let directory: String
    private let process: Process

    private init(baseURL: String, certificateFile: String, directory: String, process: Process) {
        self.baseURL = baseURL
        self.certificateFile = certificateFile
        self.directory = directory
        self.process = process
    }

    /// The nginx binary, if installed.
    public static var nginxPath: String? {
        ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Whether ``start()`` can run here.
    public static var isAvailable: Bool {
        nginxPath != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
    }

    /// Generates a certificate, starts nginx on a free port and waits until it accepts connections.
    public static func start() async throws -> TLSTestServer? {
        guard isAvailable, let nginx = nginxPath else { return nil }
        let directory = NSTemporaryDirectory() + "curlhttp-tls-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key, "-out", certificate,
            ]
        )
        let port = try await freePort()
        let configuration = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(directory);
                proxy_temp_path \(directory);
                fastcgi_temp_path \(directory);
                uwsgi_temp_path \(directory);
                scgi_temp_path \(directory);
                server {
                    listen 127.0.0.1:\(port) ssl http2;
                    ssl_certificate \(certificate);
                    ssl_certificate_key \(key);
                    location / { default_type text/plain; return 200 'tls'; }
                }
            }
            """
        try configuration.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-c", directory + "/nginx.conf", "-e", directory + "/error.log"]
        try process.run()
        let server = TLSTestServer(
            baseURL: "https://127.0.0.1:\(port)",
            certificateFile: certificate,
            directory: directory,
            process: process
        )
        try await server.waitUntilListening(port: port)
        return server
    }

    /// `baseURL` followed by `path`.
    public func url(_ path: String) -> String {
        baseURL + path
    }

    /// Stops nginx and removes the certificate and configuration.
    public func shutdown() {
        // SIGKILL, not terminate(): the test process blocks SIGTERM in its threads and nginx inherits that mask.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        _ = process.waitForExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func waitUntilListening(port: Int) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        for _ in 0..<200 {
            if let channel = try? await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        shutdown()
        throw TestServerError(message: "nginx did not start listening on 127.0.0.1:\(port)")
    }

    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard process.waitForExit() == 0 else {
            throw TestServerError(message: "\(executable) \(arguments.joined(separator: " ")) failed")
        }
    }
}

/// A test server could not be started.
public struct TestServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
