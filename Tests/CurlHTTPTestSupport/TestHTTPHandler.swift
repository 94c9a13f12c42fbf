import NIOCore
import NIOHTTP1

/// Serves the routes documented on ``TestHTTPServer``, one request at a time per connection.
final class TestHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let gzipBody: [UInt8] = Array(
        base64Decoded:
            "H4sIAAAAAAACA+3KwQ2AIBAAsFVuApdgBCcwhhAiQSP4cHvH8NO+m7a5tbOsb9/jyPka0eqYtZcR837yEkkQBEEQBEEQBEEQBEEQBEEQBEH4I3y+Vn4wyBkAAA=="
    )

    private var head: HTTPRequestHead?
    private var body: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = context.channel.allocator.buffer(capacity: 0)
        case .body(var chunk):
            body?.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            route(head, body: body ?? ByteBuffer(), context: context)
            self.head = nil
            self.body = nil
        }
    }

    private func route(_ head: HTTPRequestHead, body: ByteBuffer, context: ChannelHandlerContext) {
        let (path, query) = Self.split(head.uri)
        switch path {
        case "/hello":
            respond(context, head, body: ByteBuffer(string: "hello"))
        case "/echo":
            respond(context, head, headers: [("X-Body-Length", "\(body.readableBytes)")], body: body)
        case "/method":
            respond(context, head, body: ByteBuffer(string: "\(head.method.rawValue) \(body.readableBytes)"))
        case "/echo-headers":
            let lines = head.headers.map { "\($0.name.lowercased()): \($0.value)\n" }.joined()
            respond(context, head, body: ByteBuffer(string: lines))
        case "/headers":
            let headers = [
                ("Set-Cookie", "session=a"), ("Set-Cookie", "region=eu"), ("X-Amzn-RateLimit-Limit", "0.5"),
                ("Retry-After", "7"),
            ]
            respond(context, head, headers: headers, body: ByteBuffer(string: "ok"))
        case "/status":
            let code = Int(query["code"] ?? "") ?? 500
            respond(
                context,
                head,
                status: HTTPResponseStatus(statusCode: code),
                headers: [("Retry-After", "7")],
                body: ByteBuffer(string: "status \(code)")
            )
        case "/sleep":
            let milliseconds = Int64(query["ms"] ?? "") ?? 1000
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(milliseconds)) {
                self.respond(context, head, body: ByteBuffer(string: "slept"))
            }
        case "/large":
            let count = Int(query["bytes"] ?? "") ?? 0
            respond(context, head, body: ByteBuffer(bytes: TestHTTPServer.largeBody(count: count)))
        case "/gzip":
            respond(context, head, headers: [("Content-Encoding", "gzip")], body: ByteBuffer(bytes: Self.gzipBody))
        case "/close-mid-body":
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "100000")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers)))
            )
            .whenComplete { _ in }
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "0123456789")))))
                .whenComplete { _ in }
            context.close(promise: nil)
        case "/close-before-response":
            context.close(promise: nil)
        case "/redirect-loop":
            respond(context, head, status: .found, headers: [("Location", "/redirect-loop")], body: ByteBuffer())
        default:
            respond(context, head, status: .notFound, body: ByteBuffer(string: "no route \(path)"))
        }
    }

    private func respond(
        _ context: ChannelHandlerContext,
        _ request: HTTPRequestHead,
        status: HTTPResponseStatus = .ok,
        headers extra: [(String, String)] = [],
        body: ByteBuffer
    ) {
        var headers = HTTPHeaders(extra)
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        let keepAlive = request.isKeepAlive
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
        )
        .whenComplete { _ in }
        if body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body)))).whenComplete { _ in }
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private static func split(_ uri: String) -> (path: String, query: [String: String]) {
        let parts = uri.split(separator: "?", maxSplits: 1)
        let path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1)
                if keyValue.count == 2 { query[String(keyValue[0])] = String(keyValue[1]) }
            }
        }
        return (path, query)
    }
}

extension Array where Element == UInt8 {
    /// Decodes standard base64 (the fixture alphabet; no line breaks).
    init(base64Decoded text: String) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var values: [UInt8: UInt32] = [:]
        for (index, byte) in alphabet.enumerated() { values[byte] = UInt32(index) }
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            guard let value = values[byte] else { continue }  // skips '=' padding
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        self = output
    }
}
