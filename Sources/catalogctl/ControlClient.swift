import ArgumentParser
import ControlAPI
import CurlHTTP
import Foundation

/// The CLI's side of the control socket: HTTP/1.1 over the Unix socket through libcurl.
struct ControlClient {
    let socketPath: String

    /// Exit statuses of DESIGN §4.4.
    enum Status {
        static let failed: Int32 = 1
        static let daemonUnreachable: Int32 = 3
    }

    /// Sends a JSON-encoded `body` and decodes a `Response` (see ``send(_:_:body:as:)``).
    func send<Body: Encodable, Response: Decodable>(
        _ method: HTTPMethod,
        _ path: String,
        json body: Body,
        as type: Response.Type
    ) async throws -> (Response, raw: [UInt8]) {
        try await send(method, path, body: Array(try JSONEncoder().encode(body)), as: type)
    }

    /// Sends a request and decodes a `Response`, or exits with the contract's status and a clear message.
    ///
    /// - Parameter decodingFailures: error statuses whose body is still a `Response` (a failed import
    ///   answers 422 with its row errors); any other error status exits with the daemon's message.
    func send<Response: Decodable>(
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        as type: Response.Type,
        decodingFailures: Set<Int> = []
    ) async throws -> (Response, raw: [UInt8]) {
        var configuration = HTTPClient.Configuration()
        configuration.unixSocketPath = socketPath
        configuration.httpVersion = .http1Only
        configuration.timeout = .seconds(600)
        let client = try HTTPClient(configuration: configuration)
        defer { Task { await client.shutdown() } }
        let response: HTTPResponse
        do {
            response = try await client.execute(HTTPRequest(method: method, url: "http://localhost\(path)", body: body))
        } catch {
            await client.shutdown()
            if SocketProbe.connectError(path: socketPath) == EACCES {
                Self.fail(permissionMessage(), status: Status.daemonUnreachable)
            }
            Self.fail(unreachableMessage("\(error.kind)"), status: Status.daemonUnreachable)
        }
        await client.shutdown()
        if decodingFailures.contains(response.status),
            let decoded = try? JSONDecoder().decode(Response.self, from: Data(response.body))
        {
            return (decoded, response.body)
        }
        guard response.isSuccess else {
            let error = try? JSONDecoder().decode(ErrorResponse.self, from: Data(response.body))
            Self.fail(
                "catalogctl: \(error?.error.message ?? response.bodyText) (HTTP \(response.status))",
                status: Status.failed
            )
        }
        if response.body.isEmpty, let empty = Empty() as? Response { return (empty, []) }
        return (try JSONDecoder().decode(Response.self, from: Data(response.body)), response.body)
    }

    /// The message when the daemon cannot be reached: which socket was tried and how to start the daemon.
    func unreachableMessage(_ reason: String) -> String {
        """
        catalogctl: cannot reach catalogsyncd at \(socketPath) (\(reason)).
        Is the daemon running? Start it with `systemctl start catalogsyncd` or `make demo`, or point \
        catalogctl at its socket with --socket PATH or CATALOGSYNC_SOCKET.
        """
    }

    /// The message when the socket refuses this user: permission denied, and how rights are granted.
    func permissionMessage() -> String {
        "catalogctl: permission denied on the control socket \(socketPath) (uid \(getuid())): this user may "
            + "not connect to it. Run as root or as the daemon's user, or join the group that owns the socket "
            + "(catalogsync)."
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(status)
    }
}

/// A response with no body worth reading (`204 No Content`).
struct Empty: Decodable {}

/// Options every command takes.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The daemon's control socket (default: $CATALOGSYNC_SOCKET or /run/catalogsyncd/control.sock).")
    var socket: String?

    var client: ControlClient {
        ControlClient(
            socketPath: socket ?? ProcessInfo.processInfo.environment["CATALOGSYNC_SOCKET"]
                ?? "/run/catalogsyncd/control.sock"
        )
    }
}

/// `--json` for read commands: print the daemon's JSON as is.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the daemon's JSON as it sent it, for scripts (jq), instead of a table.")
    var json = false

    func print(raw: [UInt8], orElse table: () -> String) {
        if json {
            Swift.print(String(decoding: raw, as: UTF8.self))
        } else {
            Swift.print(table(), terminator: "")
        }
    }
}
